// Helpers for the browser tests: signed-in pages, raw form posts with the session's CSRF token, tables and error
// summaries.
import { expect } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD } from '../support/api-harness.js';
import { newContext, signIn } from '../support/browser.js';
import type { PageElement } from '../support/page-globals.js';

export interface SignedIn {
  context: BrowserContext;
  page: Page;
}

/** A new browser context signed in as `email` (JavaScript on unless told otherwise). */
export async function signedIn(
  browser: Browser,
  baseUrl: string,
  email: string,
  options: { javaScript?: boolean; password?: string } = {},
): Promise<SignedIn> {
  const context = await newContext(browser, baseUrl, { javaScript: options.javaScript });
  const page = await context.newPage();
  await signIn(page, email, options.password ?? TEST_PASSWORD);
  expect(new URL(page.url()).pathname).toBe('/');
  return { context, page };
}

/** A page signed in as `user`, in a context of its own (closed with the browser). */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  user: { email: string },
  options: { javaScript?: boolean } = {},
): Promise<Page> {
  return (await signedIn(browser, baseUrl, user.email, options)).page;
}

/** Opens `path` and returns the HTTP status the page answered with. */
export async function statusOf(page: Page, path: string): Promise<number> {
  const response = await page.goto(path);
  if (!response) throw new Error(`no response for ${path}`);
  return response.status();
}

/** The session's CSRF token, read from the hidden field of the page's first form. */
export async function csrfToken(page: Page): Promise<string> {
  const token = await page.locator('input[name="_csrf"]').first().getAttribute('value');
  if (!token) throw new Error('the page has no CSRF token');
  return token;
}

/**
 * Posts a raw body (urlencoded text, or JSON when `json` is set) with the page's cookies, as a script or a
 * tampered browser would; returns the status and the body's text.
 */
export async function postRaw(
  page: Page,
  path: string,
  body: string | Record<string, unknown>,
): Promise<{ status: number; text: string }> {
  const json = typeof body !== 'string';
  const response = await page.request.post(path, {
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded', accept: 'text/html' },
    data: json ? JSON.stringify(body) : body,
    maxRedirects: 0,
  });
  return { status: response.status(), text: await response.text() };
}

/** The visible text of each cell of the table's body rows. */
export async function tableRows(page: Page): Promise<string[][]> {
  return page
    .locator('table.govuk-table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => Array.from((row as PageElement).querySelectorAll('td')).map((cell) => cell.innerText.trim())),
    );
}

/** The error summary's messages, after checking it is shown and has the focus. */
export async function errorSummary(page: Page): Promise<string[]> {
  const summary = page.locator('.govuk-error-summary');
  await expect(summary.locator('[role="alert"]').count()).resolves.toBe(1);
  return summary.locator('.govuk-error-summary__list a').allInnerTexts();
}
