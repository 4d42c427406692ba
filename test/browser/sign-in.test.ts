// Signing in and out in a real browser, and the security headers every page carries.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { TEST_PASSWORD, type RunningApi, type TestUser } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, newContext, signIn, startApiAndBrowser } from '../support/browser.js';

describe('sign in (browser)', () => {
  let api: RunningApi;
  let browser: Browser;
  let liaison: TestUser;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    const org = await api.createOrganisation({ name: 'Merseyside Police' });
    liaison = await api.createUser('liaison', [org.id]);
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  it('sends a signed-out visitor to sign in and back to the page asked for', async () => {
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    await page.goto('/inspections?x=1');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await checkPage(page, 'signed-out-sign-in');
    await page.getByLabel('Email address').fill(liaison.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/inspections\?x=1$/);
    // Signed in, the sign-in page goes straight on.
    await page.goto('/sign-in?returnTo=%2Finspections');
    expect(new URL(page.url()).pathname).toBe('/inspections');
    await context.close();
  });

  it('refuses a wrong password with an error summary, and signs out with the header button', async () => {
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    await signIn(page, liaison.email, 'not-the-password');
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain('Enter a correct email address and password');
    await expect(page.title()).resolves.toBe('Error: Sign in – Follow-up Tracker');
    await checkPage(page, 'sign-in-refused');
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe(liaison.email);

    await signIn(page, liaison.email, TEST_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByText(`Signed in as ${liaison.name}`).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signedOut=1$/);
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await context.close();
  });

  it('sends security headers on pages and API answers alike', async () => {
    const pageResponse = await fetch(`${api.baseUrl}/sign-in`, { headers: { accept: 'text/html' } });
    const csp = pageResponse.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    const apiResponse = await api.adminApi.get('/users/me');
    for (const response of [pageResponse, apiResponse]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-powered-by')).toBeNull();
      // Plain HTTP here: HSTS is only sent over HTTPS.
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    // Signed out, the sign-in page sets only its form cookie (no session exists before sign-in).
    const cookie = pageResponse.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^followup\.form=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');

    // Behind a TLS-terminating proxy on this machine (trust proxy: loopback): HSTS and a Secure cookie.
    const overHttps = await fetch(`${api.baseUrl}/sign-in`, {
      headers: { accept: 'text/html', 'x-forwarded-proto': 'https' },
    });
    expect(overHttps.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(overHttps.headers.get('set-cookie')).toContain('Secure');
    // The session cookie, once signed in: HttpOnly, SameSite=Lax.
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    await signIn(page, liaison.email, TEST_PASSWORD);
    const session = (await context.cookies()).find((c) => c.name === 'followup.sid');
    expect([session?.httpOnly, session?.sameSite, session?.secure]).toEqual([true, 'Lax', false]);
    await context.close();
  });

  it('gives the session a new id at sign-in and forgets it at sign-out', async () => {
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    await page.goto('/sign-in');
    const sessionId = async () => (await context.cookies()).find((c) => c.name === 'followup.sid')?.value;
    // No session before sign-in; one planted by someone else (session fixation) is not taken up.
    expect(await sessionId()).toBeUndefined();
    const before = 's%3Aplanted-session-id.signature';
    await context.addCookies([{ name: 'followup.sid', value: before, url: api.baseUrl }]);
    await signIn(page, liaison.email, TEST_PASSWORD);
    const after = await sessionId();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in\?signedOut=1$/);
    // The old cookie, replayed, no longer opens a page.
    const replay = await fetch(`${api.baseUrl}/`, {
      headers: { accept: 'text/html', cookie: `followup.sid=${after}` },
      redirect: 'manual',
    });
    expect([replay.status, replay.headers.get('location')]).toEqual([303, '/sign-in']);
    await context.close();
  });

  it('shows an expired sign-in form again, ready to use', async () => {
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await context.clearCookies();
    await page.getByLabel('Email address').fill(liaison.email);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    await expect(page.getByText('The sign-in page had expired. Enter your details again.').count()).resolves.toBe(1);
    await checkPage(page, 'sign-in-expired');
    await signIn(page, liaison.email, TEST_PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/');
    await context.close();
  });

  it('never lets the session cookie authenticate the JSON API', async () => {
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    await signIn(page, liaison.email, TEST_PASSWORD);
    const response = await page.request.get('/users/me', { headers: { accept: 'application/json' } });
    expect(response.status()).toBe(401);
    await context.close();
  });

  it('answers odd requests with a GOV.UK page or the API JSON, never a stack trace', async () => {
    const page = await fetch(`${api.baseUrl}/no-such-page`, { headers: { accept: 'text/html' } });
    expect([page.status, page.headers.get('content-type')]).toEqual([404, 'text/html; charset=utf-8']);
    expect(await page.text()).toContain('Page not found');
    const json = await api.adminApi.get('/no-such-page');
    expect([json.status, json.body.message]).toEqual([404, 'Cannot GET /no-such-page']);

    const huge = await fetch(`${api.baseUrl}/sign-in`, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${'a'.repeat(200_000)}`,
    });
    expect(huge.status).toBe(413);
    const malformed = await fetch(`${api.baseUrl}/sign-in`, {
      method: 'POST',
      headers: { accept: 'text/html', 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(malformed.status).toBe(400);
    for (const body of [await huge.text(), await malformed.text()])
      expect(body).not.toMatch(/node_modules|at .*\.js:\d+/);
  });
});
