// Signing in and out in a real browser, and the security headers every page carries.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { startApi, TEST_PASSWORD, type RunningApi, type TestUser } from '../support/api-harness.js';
import { checkPage, launchBrowser, newContext, signIn } from '../support/browser.js';

describe('sign in (browser)', () => {
  let api: RunningApi;
  let browser: Browser;
  let liaison: TestUser;

  beforeAll(async () => {
    [api, browser] = await Promise.all([startApi(), launchBrowser()]);
    const org = await api.createOrganisation({ name: 'Merseyside Police' });
    liaison = await api.createUser('liaison', [org.id]);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

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
    await page.waitForURL(/\/sign-in$/);
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
    const cookie = pageResponse.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^followup\.sid=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).not.toContain('Secure');
  });
});
