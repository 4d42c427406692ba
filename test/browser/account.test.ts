// The account page in a real browser: each role's details, the notification preference (saved, stale, without
// JavaScript) and garbage posts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { RunningApi, TestUser } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, startApiAndBrowser } from '../support/browser.js';
import { csrfToken, errorSummary, postRaw, signedIn } from './page-helpers.js';
import type { PageElement } from '../support/page-globals.js';

describe('account page (browser)', () => {
  let api: RunningApi;
  let browser: Browser;
  let users: Record<'manager' | 'inspector' | 'liaison', TestUser>;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    const merseyside = await api.createOrganisation({ name: 'Merseyside Police' });
    const cheshire = await api.createOrganisation({ name: 'Cheshire Constabulary' });
    users = {
      manager: await api.createUser('manager'),
      inspector: await api.createUser('inspector'),
      liaison: await api.createUser('liaison', [merseyside.id, cheshire.id]),
    };
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  const reminderDelivery = async (user: TestUser): Promise<string> =>
    (await user.api.get('/users/me')).body.reminderDelivery;

  it.each([
    ['admin', 'Administrator', 'All forces'],
    ['manager', 'Manager', 'All forces'],
    ['inspector', 'Inspector', 'All forces'],
    ['liaison', 'Force liaison', 'Cheshire Constabulary, Merseyside Police'],
  ])('shows a %s their own details', async (role, roleText, forces) => {
    const user =
      role === 'admin' ? { email: api.admin.email, name: 'Administrator' } : users[role as keyof typeof users];
    const { context, page } = await signedIn(
      browser,
      api.baseUrl,
      user.email,
      role === 'admin' ? { password: api.admin.password } : {},
    );
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.waitForURL(/\/account$/);
    await expect(page.title()).resolves.toBe('Your account – Follow-up Tracker');
    await checkPage(page, `account-${role}`);
    const details = await page
      .locator('.govuk-summary-list__row')
      .evaluateAll((rows) => rows.map((row) => (row as PageElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(details).toEqual([
      `Name ${user.name}`,
      `Email address ${user.email}`,
      `Role ${roleText}`,
      `Forces ${forces}`,
    ]);
    await expect(page.getByRole('radio', { name: 'Immediately' }).isChecked()).resolves.toBe(true);
    await context.close();
  });

  it('saves the notification preference through the same service as PATCH /users/me', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, users.liaison.email);
    await page.goto('/account');
    await page.getByRole('radio', { name: 'In a daily digest' }).check();
    await page.getByRole('button', { name: 'Save notification preference' }).click();
    await page.getByText('Your notification preference has been saved').waitFor();
    await checkPage(page, 'account-saved');
    await expect(page.getByText('Your notification preference has been saved').count()).resolves.toBe(1);
    await expect(page.getByRole('radio', { name: 'In a daily digest' }).isChecked()).resolves.toBe(true);
    await expect(reminderDelivery(users.liaison)).resolves.toBe('daily_digest');
    await context.close();
  });

  it('makes a calendar link, shows it once, and a replaced link stops working', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, users.manager.email);
    await page.goto('/account');
    await page.getByRole('button', { name: 'Make a calendar link' }).click();
    await page.waitForURL(/\/account$/);
    const first = await page.locator('.app-calendar-link__url').textContent();
    expect(first).toMatch(/\/calendar\/[^/]+\.ics$/);
    await checkPage(page, 'account-calendar-link');
    const feedPath = (url: string) => new URL(url).pathname;
    await expect(fetch(`${api.baseUrl}${feedPath(first!)}`).then((r) => r.status)).resolves.toBe(200);
    await page.goto('/account');
    await expect(page.locator('.app-calendar-link__url').count()).resolves.toBe(0); // shown once: only its hash is kept
    await page.getByRole('button', { name: 'Replace calendar link' }).click();
    await page.waitForURL(/\/account$/);
    const second = await page.locator('.app-calendar-link__url').textContent();
    expect(second).not.toBe(first);
    await expect(fetch(`${api.baseUrl}${feedPath(first!)}`).then((r) => r.status)).resolves.toBe(404);
    await expect(fetch(`${api.baseUrl}${feedPath(second!)}`).then((r) => r.status)).resolves.toBe(200);
    await context.close();
  });

  it('refuses a form whose version changed meanwhile, saying so and showing the current choice', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, users.manager.email);
    const other = await context.newPage();
    await page.goto('/account');
    await other.goto('/account');
    await other.getByRole('radio', { name: 'In a daily digest' }).check();
    await other.getByRole('button', { name: 'Save notification preference' }).click();
    await other.getByText('Your notification preference has been saved').waitFor();
    await expect(reminderDelivery(users.manager)).resolves.toBe('daily_digest');

    // The first tab still holds the old version; its choice must not overwrite the newer one.
    await page.getByRole('radio', { name: 'Immediately' }).check();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/account/notifications')),
      page.getByRole('button', { name: 'Save notification preference' }).click(),
    ]);
    expect(response.status()).toBe(409);
    await page.waitForLoadState();
    await checkPage(page, 'account-stale');
    await expect(page.getByRole('alert').first().innerText()).resolves.toContain(
      'Someone changed this while you were editing it',
    );
    await expect(page.getByRole('radio', { name: 'In a daily digest' }).isChecked()).resolves.toBe(true);
    await expect(reminderDelivery(users.manager)).resolves.toBe('daily_digest');
    await context.close();
  });

  it('works without JavaScript', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, users.inspector.email, { javaScript: false });
    await page.goto('/account');
    await checkPage(page, 'account-no-js');
    await page.getByRole('radio', { name: 'In a daily digest' }).check();
    await page.getByRole('button', { name: 'Save notification preference' }).click();
    await page.getByText('Your notification preference has been saved').waitFor();
    await checkPage(page, 'account-no-js-saved');
    await expect(reminderDelivery(users.inspector)).resolves.toBe('daily_digest');
    await context.close();
  });

  it('answers garbage with 400 and the error summary, an expired form with 403, never 500', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, users.liaison.email);
    await page.goto('/account');
    const token = await csrfToken(page);
    const before = await reminderDelivery(users.liaison);
    const garbage: (string | Record<string, unknown>)[] = [
      `_csrf=${encodeURIComponent(token)}`,
      `_csrf=${encodeURIComponent(token)}&reminderDelivery=weekly&version=1`,
      `_csrf=${encodeURIComponent(token)}&reminderDelivery[]=immediate&reminderDelivery[]=daily_digest&version[a]=1`,
      `_csrf=${encodeURIComponent(token)}&reminderDelivery=immediate&version=99999999999999999999`,
      `_csrf=${encodeURIComponent(token)}&reminderDelivery=immediate&version=-1`,
      `_csrf=${encodeURIComponent(token)}&reminderDelivery[__proto__][x]=1&version=%00`,
      { _csrf: token, reminderDelivery: { $ne: null }, version: [1] },
      { _csrf: token, reminderDelivery: 'immediate', version: 1.5 },
    ];
    for (const body of garbage) {
      const { status, text } = await postRaw(page, '/account/notifications', body);
      expect({ body, status }).toEqual({ body, status: 400 });
      expect(text).toContain('There is a problem');
    }
    await expect(reminderDelivery(users.liaison)).resolves.toBe(before);

    await expect(
      postRaw(page, '/account/notifications', 'reminderDelivery=immediate&version=1').then((r) => r.status),
    ).resolves.toBe(403);
    await expect(
      postRaw(page, '/account/notifications', `_csrf=forged&reminderDelivery=immediate&version=1`).then(
        (r) => r.status,
      ),
    ).resolves.toBe(403);

    // The rendered refusal names the field in words and links to it.
    await page.setContent(
      (await postRaw(page, '/account/notifications', `_csrf=${encodeURIComponent(token)}&version=1`)).text,
    );
    await expect(errorSummary(page)).resolves.toEqual(['Select when you want to get reminders']);
    await context.close();
  });
});
