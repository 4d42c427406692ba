// Two-factor sign-in in Chromium: a required role is walked through set-up (QR code and key as text), then needs a
// code; replays, wrong codes and recovery codes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateSync } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { TEST_PASSWORD, startApi, type RunningApi } from '../support/api-harness.js';
import { checkPage, launchBrowser, newContext, signIn } from '../support/browser.js';
import { errorSummary } from './page-helpers.js';

describe('two-factor sign-in (browser)', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    [api, browser] = await Promise.all([startApi({ MFA_REQUIRED_ROLES: 'admin,inspector' }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const enterCode = async (page: Page, code: string) => {
    await page.getByLabel('Security code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState();
  };
  /** A code of the step after `step` (what the app shows 30 seconds later). */
  const codeAt = (secret: string, offsetSteps: number) =>
    generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

  it('walks an inspector through set-up at sign-in, then asks for a code that works once; recovery codes work once', async () => {
    const inspector = await api.createUser('inspector');
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    await signIn(page, inspector.email, TEST_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/sign-in/two-factor');
    await checkPage(page, 'two-factor-setup');
    await expect(page.getByRole('img', { name: /QR code/ }).count()).resolves.toBe(1);
    const secret = (await page.locator('#setup-key').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    // Not signed in yet.
    expect((await page.request.get('/', { headers: { accept: 'text/html' }, maxRedirects: 0 })).status()).toBe(303);

    await enterCode(page, '000000' === codeAt(secret, 0) ? '111111' : '000000');
    await expect(errorSummary(page)).resolves.toEqual([
      'Enter the code your authenticator app shows now for the key above',
    ]);
    const setUpCode = codeAt(secret, 0);
    await enterCode(page, setUpCode);
    await expect(page.getByRole('heading', { name: 'Save your recovery codes' }).count()).resolves.toBe(1);
    await checkPage(page, 'two-factor-recovery-codes');
    const codes = (await page.locator('#recovery-codes li').allInnerTexts()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    // Next sign-in: password, then a code. The code just used (same step) is refused: no replay.
    const next = await (await newContext(browser, api.baseUrl)).newPage();
    await signIn(next, inspector.email, TEST_PASSWORD);
    expect(new URL(next.url()).pathname).toBe('/sign-in/security-code');
    await checkPage(next, 'two-factor-security-code');
    await enterCode(next, setUpCode);
    await expect(errorSummary(next)).resolves.toEqual([
      'Enter the security code your authenticator app shows now, or an unused recovery code',
    ]);
    const nextCode = codeAt(secret, 1);
    await enterCode(next, nextCode);
    expect(new URL(next.url()).pathname).toBe('/');

    // The same code again, from another browser: refused.
    const replay = await (await newContext(browser, api.baseUrl)).newPage();
    await signIn(replay, inspector.email, TEST_PASSWORD);
    await enterCode(replay, nextCode);
    expect(new URL(replay.url()).pathname).toBe('/sign-in/security-code');
    // A recovery code works once.
    await enterCode(replay, codes[0].toUpperCase());
    expect(new URL(replay.url()).pathname).toBe('/');
    const again = await (await newContext(browser, api.baseUrl)).newPage();
    await signIn(again, inspector.email, TEST_PASSWORD);
    await enterCode(again, codes[0]);
    expect(new URL(again.url()).pathname).toBe('/sign-in/security-code');

    // The API asks the same second factor once it is on.
    expect((await api.login(inspector.email, TEST_PASSWORD)).status).toBe(401);
    const withCode = await api
      .client(null)
      .post('/auth/login', { email: inspector.email, password: TEST_PASSWORD, code: codes[1] });
    expect(withCode.status).toBe(200);

    // Lost phone and codes: an administrator resets it, and the next sign-in walks through set-up again. (The
    // administrator signs in with a code too: their role requires it; they set it up here first.)
    const admin = await (await newContext(browser, api.baseUrl)).newPage();
    await signIn(admin, api.admin.email, api.admin.password);
    const adminSecret = (await admin.locator('#setup-key').innerText()).replace(/\s/g, '');
    await enterCode(admin, codeAt(adminSecret, 0));
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.goto(`/admin/users/${inspector.id}`);
    await checkPage(admin, 'two-factor-admin-reset');
    await admin.getByRole('button', { name: 'Reset two-factor sign-in' }).click();
    await admin.waitForLoadState();
    await expect(admin.getByText('Two-factor sign-in reset').count()).resolves.toBe(1);
    const fresh = await (await newContext(browser, api.baseUrl)).newPage();
    await signIn(fresh, inspector.email, TEST_PASSWORD);
    expect(new URL(fresh.url()).pathname).toBe('/sign-in/two-factor');
    // With it off, the API asks no code again.
    expect((await api.login(inspector.email, TEST_PASSWORD)).status).toBe(200);
  }, 180_000);

  it('does not ask a role that is not required (liaison) for a second factor', async () => {
    const liaison = await api.createUser('liaison', [(await api.createOrganisation()).id]);
    const page = await (await newContext(browser, api.baseUrl)).newPage();
    await signIn(page, liaison.email, TEST_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
