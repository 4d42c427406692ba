// Personal API tokens and two-factor settings on /account in Chromium, at 390 and 1280 px with axe: make a token (shown
// once), use it, revoke it; an administrator's settings and revocation; two-factor on and off.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateSync } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD, type RunningApi, type TestUser } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, newContext, signIn, startApiAndBrowser } from '../support/browser.js';
import { errorSummary, statusOf } from './page-helpers.js';
import type { PageGlobals } from '../support/page-globals.js';

const WIDTHS = [390, 1280] as const;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('API tokens and two-factor settings on /account (browser)', () => {
  let api: RunningApi;
  let browser: Browser;
  let liaison: TestUser;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    const force = await api.createOrganisation({ name: 'Merseyside Police' });
    liaison = await api.createUser('liaison', [force.id]);
    const settings = await api.adminApi.get('/api-token-settings');
    expect(
      (
        await api.adminApi.request('PUT', '/api-token-settings', {
          allowedRoles: ['manager', 'liaison'],
          version: settings.body.version,
        })
      ).status,
    ).toBe(200);
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  async function pageAt(
    width: number,
    email: string,
    options: { javaScript?: boolean; password?: string } = {},
  ): Promise<Page> {
    const context = await newContext(browser, api.baseUrl, { javaScript: options.javaScript });
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, email, options.password ?? TEST_PASSWORD);
    return page;
  }
  const fits = async (page: Page): Promise<void> => {
    const { scroll, inner } = await page.evaluate(() => {
      const scope = globalThis as unknown as PageGlobals;
      return { scroll: scope.document.documentElement.scrollWidth, inner: scope.innerWidth };
    });
    expect({ url: page.url(), scroll }).toEqual({ url: page.url(), scroll: inner });
  };
  const status = async (token: string): Promise<number> =>
    (await fetch(`${api.baseUrl}/users/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  it.each(WIDTHS)(
    'at %i px: makes a named read-only token, shows it once, lists it in words and revokes it',
    async (width) => {
      const page = await pageAt(width, liaison.email);
      await page.goto('/account');
      await page.getByRole('link', { name: 'API tokens' }).click();
      await page.waitForURL(/\/account\/api-tokens$/);
      await checkPage(page, `api-tokens-${width}`);
      await fits(page);

      const name = `Crime records bridge ${width}`;
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('radio', { name: 'Read only' }).check();
      if (width === 1280) {
        await page.getByLabel('Day').fill('31');
        await page.getByLabel('Month').fill('3');
        await page.getByLabel('Year').fill('2099');
      }
      await page.getByRole('button', { name: 'Make API token' }).click();
      await page.getByRole('heading', { name: 'API token made' }).waitFor();
      await checkPage(page, `api-token-made-${width}`);
      await fits(page);
      const token = (await page.locator('#new-api-token').innerText()).trim();
      expect(token).toMatch(/^fut_[A-Za-z0-9_-]{43}$/);
      expect(await status(token)).toBe(200);
      // Read only: a write over the API is refused.
      const write = await fetch(`${api.baseUrl}/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(write.status).toBe(403);

      await page.getByRole('button', { name: 'Back to your API tokens' }).click();
      await page.waitForURL(/\/account\/api-tokens$/);
      const body = await page.locator('main').innerText();
      expect(body).not.toContain(token);
      expect(body).not.toMatch(UUID);
      const row = page.locator('tr', { hasText: name });
      await expect(row.innerText()).resolves.toContain('Read only');
      await expect(row.innerText()).resolves.toContain(width === 1280 ? 'End of 31 March 2099' : 'Does not expire');
      await expect(row.innerText()).resolves.toMatch(/Not used yet|\d{4} at \d/);
      await checkPage(page, `api-tokens-listed-${width}`);
      await fits(page);

      await page.getByRole('button', { name: `Revoke ${name}` }).click();
      await page.getByText('API token revoked').waitFor();
      await checkPage(page, `api-token-revoked-${width}`);
      await expect(page.locator('tr', { hasText: name }).count()).resolves.toBe(0);
      expect(await status(token)).toBe(401);
      await page.context().close();
    },
  );

  it('without JavaScript, a token without a name or access is refused with the GOV.UK error summary, and nothing is made', async () => {
    const page = await pageAt(1280, liaison.email, { javaScript: false });
    await page.goto('/account/api-tokens');
    const before = (await liaison.api.get('/users/me/api-tokens')).body.items.length;
    await page.getByRole('button', { name: 'Make API token' }).click();
    await page.waitForLoadState();
    expect(await errorSummary(page)).toEqual([
      'Enter a name for the token, such as the system that will use it',
      'Choose what the token may do',
    ]);
    await checkPage(page, 'api-tokens-errors-no-js');
    expect((await liaison.api.get('/users/me/api-tokens')).body.items.length).toBe(before);
    await page.context().close();
  });

  it('a role not allowed sees why and no form; an administrator allows it, and revokes a token on the person’s page', async () => {
    const inspector = await api.createUser('inspector');
    const page = await pageAt(1280, inspector.email);
    await page.goto('/account/api-tokens');
    await page.getByText('Your role cannot make API tokens').waitFor();
    await expect(page.getByRole('button', { name: 'Make API token' }).count()).resolves.toBe(0);
    // The administrators' page is theirs alone.
    expect(await statusOf(page, '/admin/api-tokens')).toBe(403);

    const admin = await pageAt(1280, api.admin.email, { password: api.admin.password });
    await admin.goto('/admin');
    await admin.getByRole('link', { name: 'API tokens' }).click();
    await admin.waitForURL(/\/admin\/api-tokens$/);
    await checkPage(admin, 'admin-api-tokens');
    await admin.getByRole('checkbox', { name: 'Inspectors' }).check();
    await admin.getByRole('button', { name: 'Save API token settings' }).click();
    await admin.getByText('API token settings saved').waitFor();
    expect((await api.adminApi.get('/api-token-settings')).body.allowedRoles).toEqual([
      'manager',
      'inspector',
      'liaison',
    ]);

    await page.goto('/account/api-tokens');
    await page.getByLabel('Name', { exact: true }).fill('Inspection planning');
    await page.getByRole('radio', { name: 'Read and write' }).check();
    await page.getByRole('button', { name: 'Make API token' }).click();
    const token = (await page.locator('#new-api-token').innerText()).trim();
    expect(await status(token)).toBe(200);

    await admin.goto(`/admin/users/${inspector.id}`);
    await checkPage(admin, 'admin-user-api-tokens');
    await admin.getByRole('button', { name: 'Revoke Inspection planning' }).click();
    await admin.getByText('API token revoked').waitFor();
    expect(await status(token)).toBe(401);
    await page.context().close();
    await admin.context().close();
  });

  it.each(WIDTHS)(
    'at %i px: a person whose role does not require it turns two-factor sign-in on, and off with a code',
    async (width) => {
      const person = await api.createUser('manager');
      const page = await pageAt(width, person.email);
      await page.goto('/account');
      await page.getByRole('link', { name: 'Two-factor sign-in' }).click();
      await page.waitForURL(/\/account\/two-factor$/);
      await checkPage(page, `account-two-factor-off-${width}`);
      await fits(page);
      await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      await page.waitForURL(/\/account\/two-factor\/set-up$/);
      await checkPage(page, `account-two-factor-set-up-${width}`);
      const secret = (await page.locator('#setup-key').innerText()).replace(/\s/g, '');
      await page.getByLabel('Security code').fill('000000');
      await page.getByRole('button', { name: 'Continue' }).click();
      expect(await errorSummary(page)).toEqual(['Enter the code your authenticator app shows now for the key above']);
      await page.getByLabel('Security code').fill(generateSync({ secret }));
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
      await expect(page.locator('#recovery-codes li').count()).resolves.toBe(10);
      // The API now asks for a code too.
      expect((await api.login(person.email, TEST_PASSWORD)).status).toBe(401);

      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/account\/two-factor$/);
      await checkPage(page, `account-two-factor-on-${width}`);
      await fits(page);
      await page.getByLabel('Security code').fill('123456');
      await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
      expect(await errorSummary(page)).toEqual([
        'Enter the security code your authenticator app shows now, or an unused recovery code',
      ]);
      expect((await api.login(person.email, TEST_PASSWORD)).status).toBe(401);
      // The next time step's code (the one used to set up cannot be used again).
      await page.getByLabel('Security code').fill(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
      await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
      await page.getByText('Two-factor sign-in is off').waitFor();
      expect((await api.login(person.email, TEST_PASSWORD)).status).toBe(200);
      await page.context().close();
    },
  );
});
