// Single sign-on in Chromium against a real OpenID provider on loopback (the demo provider's own page): signing in, a
// role that changes at the next sign-in, a refused person, and signing out at the provider too.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { DemoPerson } from '../../scripts/demo-identity-provider.js';
import { TEST_PASSWORD } from '../support/api-harness.js';
import { checkPage, launchBrowser, newContext, signIn } from '../support/browser.js';
import { startSsoWorld, type SsoWorld } from '../support/sso-world.js';
import { errorSummary, signedIn } from './page-helpers.js';

const people: DemoPerson[] = [
  {
    sub: 'b-lee',
    email: 'lee.liaison@north.example',
    name: 'Lee Liaison',
    groups: ['sso-north-liaison'],
    description: 'liaison, North',
  },
  {
    sub: 'b-una',
    email: 'una.unmapped@north.example',
    name: 'Una Unmapped',
    groups: ['canteen-rota'],
    description: 'in no mapped group',
  },
];

describe('single sign-on (browser)', () => {
  let world: SsoWorld;
  let browser: Browser;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startSsoWorld(people), launchBrowser()]);
    await world.api.createOrganisation({ name: 'North Police', code: 'SSO-NORTH' });
  });

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  /** From the sign-in page, through the provider's page, choosing `name` there. */
  async function signInAs(page: Page, name: string, screenshot?: string): Promise<void> {
    await page.goto('/sign-in');
    if (screenshot) await checkPage(page, screenshot);
    await page.getByRole('button', { name: 'Sign in with your organisation account' }).click();
    await page.waitForURL((url) => url.origin === world.idp.issuer);
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL((url) => url.origin === world.api.baseUrl);
    await page.waitForLoadState();
  }

  it('signs a person in with their organisation account, and their role follows their groups at the next sign-in', async () => {
    const context = await newContext(browser, world.api.baseUrl);
    const page = await context.newPage();
    await signInAs(page, 'Lee Liaison', 'sso-sign-in-page');
    expect(new URL(page.url()).pathname).toBe('/');
    await checkPage(page, 'sso-signed-in-liaison');
    await expect(page.locator('header').innerText()).resolves.toContain('Lee Liaison');
    expect(await page.locator('.govuk-service-navigation, nav').first().innerText()).not.toContain('Overdue');

    // Signing out goes on to the provider (RP-initiated logout), which asks, then comes back here.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.origin === world.idp.issuer);
    await page.getByRole('button', { name: /Yes, sign me out/i }).click();
    await page.waitForURL((url) => url.origin === world.api.baseUrl && url.pathname === '/sign-in');
    await expect(page.getByText('You have signed out').count()).resolves.toBe(1);

    // Made a manager of every force in the provider: the next sign-in brings the manager's pages.
    world.person('b-lee').groups = ['sso-managers'];
    await signInAs(page, 'Lee Liaison');
    expect((await page.goto('/overdue'))?.status()).toBe(200);
    await checkPage(page, 'sso-signed-in-manager');
    await context.close();
  });

  it('refuses a person in no mapped group with a page saying whom to ask', async () => {
    const context = await newContext(browser, world.api.baseUrl);
    const page = await context.newPage();
    await signInAs(page, 'Una Unmapped');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      'You do not have access to Follow-up Tracker',
    );
    await expect(page.getByText('Ask the administrators of Follow-up Tracker').count()).resolves.toBe(1);
    await checkPage(page, 'sso-refused');
    expect((await page.goto('/'))?.url()).toContain('/sign-in');
    await context.close();
  });

  it('an administrator sets a force to single sign-on only, and its people can no longer sign in with a password', async () => {
    const force = await world.api.createOrganisation({ name: 'Password-free Police', code: 'SSO-PWFREE' });
    const liaison = await world.api.createUser('liaison', [force.id]);
    const admin = await signedIn(browser, world.api.baseUrl, world.api.admin.email, {
      password: world.api.admin.password,
    });
    await admin.page.goto('/admin/organisations');
    await admin.page.getByRole('link', { name: /^How its people sign in\W+Password-free Police$/ }).click();
    await checkPage(admin.page, 'sso-organisation-sign-in');
    await admin.page.getByRole('radio', { name: 'Only with their organisation account (single sign-on)' }).check();
    await admin.page.getByRole('button', { name: 'Save' }).click();
    await admin.page.waitForURL(/\/admin\/organisations$/);
    await expect(
      admin.page.getByText('Its people now sign in only with their organisation account.').count(),
    ).resolves.toBe(1);

    const context = await newContext(browser, world.api.baseUrl);
    const page = await context.newPage();
    await signIn(page, liaison.email, TEST_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await errorSummary(page)).toEqual([
      'Your organisation signs in with single sign-on only: use "Sign in with your organisation account"',
    ]);
    await context.close();
    await admin.context.close();
  });

  it('shows both ways in on the sign-in page at 1280 px (the README image)', async () => {
    const context = await browser.newContext({ baseURL: world.api.baseUrl, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await expect(page.getByRole('button', { name: 'Sign in with your organisation account' }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Sign in', exact: true }).count()).resolves.toBe(1);
    await page.screenshot({ path: 'test-output/screenshots/sign-in-both-ways-1280.png', fullPage: true });
    await context.close();
  });
});
