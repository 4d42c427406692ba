// Account life cycle in Chromium against the real API, worker and SMTP server: invite → choose a password → sign in;
// forgotten password → reset → other sessions ended.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { TEST_PASSWORD, type Schema } from '../support/api-harness.js';
import { checkPage, launchBrowser, newContext, signIn } from '../support/browser.js';
import { startIdentityWorld, type IdentityWorld } from '../support/identity-world.js';
import { errorSummary, signedIn } from './page-helpers.js';

const CHOSEN = 'quiet lantern orbit harbour';

describe('identity (browser)', () => {
  let world: IdentityWorld;
  let browser: Browser;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startIdentityWorld(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it('an administrator invites a person, who chooses their own password from the email and signs in', async () => {
    const admin = await signedIn(browser, world.api.baseUrl, world.api.admin.email, {
      password: world.api.admin.password,
    });
    const force = await world.api.createOrganisation({ name: 'Cheshire Constabulary' });
    await admin.page.goto('/admin/users/new');
    await admin.page.getByLabel('Full name').fill('Ivy Invited');
    await admin.page.getByLabel('Email address').fill('ivy.invited@cheshire.example');
    await admin.page.getByRole('radio', { name: 'Force liaison' }).check();
    await admin.page.getByRole('checkbox', { name: 'Cheshire Constabulary' }).check();
    await admin.page.getByRole('button', { name: 'Add user' }).click();
    await admin.page.waitForURL(/\/admin\/users$/);
    expect(force.id).toBeTruthy();

    const { message, path } = await world.linkEmail('ivy.invited@cheshire.example', 'invitation');
    expect(message.text).toContain('Dear Ivy Invited');
    const context = await newContext(browser, world.api.baseUrl);
    const page = await context.newPage();
    await page.goto(path);
    await checkPage(page, 'identity-choose-password');
    await expect(page.getByRole('heading', { name: 'Choose your password' }).count()).resolves.toBe(1);

    // Refused with the reason, then accepted; the show/hide toggle works (JavaScript on).
    await page.getByLabel('New password', { exact: true }).fill('password1234');
    await page.getByLabel('Confirm new password').fill('password1234');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.waitForLoadState();
    const [problem] = await errorSummary(page);
    expect(problem).toMatch(/^Password is too easy to guess/);
    await checkPage(page, 'identity-choose-password-refused');
    await page.getByLabel('New password', { exact: true }).fill(CHOSEN);
    await page.getByRole('button', { name: 'Show password' }).first().click();
    await expect(page.getByLabel('New password', { exact: true }).getAttribute('type')).resolves.toBe('text');
    await page.getByLabel('Confirm new password').fill(CHOSEN);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('heading', { name: 'Your password has been saved' }).count()).resolves.toBe(1);
    await checkPage(page, 'identity-password-saved');

    await signIn(page, 'ivy.invited@cheshire.example', CHOSEN);
    expect(new URL(page.url()).pathname).toBe('/');
    // The administrator's page shows the invitation accepted.
    const ivy = (await world.api.adminApi.get('/users?limit=500')).body.items.find(
      (u: Schema<'UserResponse'>) => u.email === 'ivy.invited@cheshire.example',
    );
    await admin.page.goto(`/admin/users/${ivy.id}`);
    await expect(
      admin.page.getByText('The person accepted the invitation and chose a password.').count(),
    ).resolves.toBe(1);
    await context.close();
    await admin.context.close();
  });

  it('forgotten password: the link from the sign-in page resets it, and every other session and token ends', async () => {
    const person = await world.api.createUser('inspector');
    const elsewhere = await signedIn(browser, world.api.baseUrl, person.email);
    expect((await person.api.get('/users/me')).status).toBe(200);

    const context = await newContext(browser, world.api.baseUrl, { javaScript: false });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await page.waitForURL(/\/forgotten-password$/);
    await checkPage(page, 'identity-forgotten-password');
    await page.getByLabel('Email address').fill(person.email);
    await page.getByRole('button', { name: 'Send link' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('heading', { name: 'Check your email' }).count()).resolves.toBe(1);
    await checkPage(page, 'identity-check-email');

    const { path } = await world.linkEmail(person.email, 'password_reset');
    await page.goto(path);
    await expect(page.getByRole('heading', { name: 'Reset your password' }).count()).resolves.toBe(1);
    await checkPage(page, 'identity-reset-password-no-js');
    await page.getByLabel('New password', { exact: true }).fill(CHOSEN);
    await page.getByLabel('Confirm new password').fill(CHOSEN);
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('heading', { name: 'Your password has been saved' }).count()).resolves.toBe(1);

    // The session signed in before the reset is over, and so is the API token.
    await elsewhere.page.goto('/');
    expect(new URL(elsewhere.page.url()).pathname).toBe('/sign-in');
    expect((await person.api.get('/users/me')).status).toBe(401);
    expect((await world.api.login(person.email, TEST_PASSWORD)).status).toBe(401);
    await signIn(page, person.email, CHOSEN);
    expect(new URL(page.url()).pathname).toBe('/');
    // The link is used up.
    await page.goto(path);
    await expect(page.getByRole('heading', { name: 'This link has already been used' }).count()).resolves.toBe(1);
    await checkPage(page, 'identity-link-used');
    await context.close();
    await elsewhere.context.close();
  });

  it('Your account: lists the person’s sessions, signs out the others, and changes the password with the current one', async () => {
    const person = await world.api.createUser('manager');
    const other = await signedIn(browser, world.api.baseUrl, person.email);
    const here = await signedIn(browser, world.api.baseUrl, person.email);
    await here.page.goto('/account');
    await here.page.getByRole('link', { name: 'Where you are signed in' }).click();
    await here.page.waitForURL(/\/account\/sessions$/);
    await checkPage(here.page, 'identity-sessions');
    const rows = await here.page.locator('table.govuk-table tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.includes('(this device)'))).toHaveLength(1);
    expect(rows.join('\n')).toContain('Chrome on Linux');
    await here.page.getByRole('button', { name: 'Sign out of all other sessions' }).click();
    await here.page.waitForLoadState();
    await expect(here.page.getByText('You have signed out of 1 other session').count()).resolves.toBe(1);
    await other.page.goto('/');
    expect(new URL(other.page.url()).pathname).toBe('/sign-in');

    // Change the password: the current one is required, the new one must pass the policy.
    const third = await signedIn(browser, world.api.baseUrl, person.email);
    await here.page.goto('/account/password');
    await checkPage(here.page, 'identity-change-password');
    await here.page.getByLabel('Current password').fill('not my password at all');
    await here.page.getByLabel('New password', { exact: true }).fill(CHOSEN);
    await here.page.getByLabel('Confirm new password').fill(CHOSEN);
    await here.page.getByRole('button', { name: 'Save password' }).click();
    await here.page.waitForLoadState();
    await expect(errorSummary(here.page)).resolves.toEqual(['Your current password is not right']);
    await here.page.getByLabel('Current password').fill(TEST_PASSWORD);
    await here.page.getByLabel('New password', { exact: true }).fill('qwertyuiop12');
    await here.page.getByLabel('Confirm new password').fill('qwertyuiop12');
    await here.page.getByRole('button', { name: 'Save password' }).click();
    await here.page.waitForLoadState();
    expect((await errorSummary(here.page))[0]).toMatch(/^Password is too easy to guess/);
    await here.page.getByLabel('Current password').fill(TEST_PASSWORD);
    await here.page.getByLabel('New password', { exact: true }).fill(CHOSEN);
    await here.page.getByLabel('Confirm new password').fill(CHOSEN);
    await here.page.getByRole('button', { name: 'Save password' }).click();
    await here.page.waitForURL(/\/account$/);
    await expect(here.page.getByText('Your password has been changed').count()).resolves.toBe(1);
    // This session stays; the other session and the API token end.
    await here.page.goto('/account/sessions');
    expect(new URL(here.page.url()).pathname).toBe('/account/sessions');
    await third.page.goto('/');
    expect(new URL(third.page.url()).pathname).toBe('/sign-in');
    expect((await person.api.get('/users/me')).status).toBe(401);
    expect((await world.api.login(person.email, CHOSEN)).status).toBe(200);
    for (const s of [other, here, third]) await s.context.close();
  });
});
