// Swagger UI at /docs works under the strict CSP (no 'unsafe-inline'): it renders every operation and the browser
// reports no CSP violation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { RunningApi } from '../support/api-harness.js';
import { closeApiAndBrowser, newContext, startApiAndBrowser } from '../support/browser.js';
import type { PageGlobals } from '../support/page-globals.js';

describe('the API documentation page (browser)', () => {
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser({ API_DOCS: 'public' }));
  }, 60_000);

  afterAll(() => closeApiAndBrowser(api, browser));

  it('renders the operations of the document with no CSP violation', async () => {
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      (globalThis as unknown as PageGlobals).document.addEventListener('securitypolicyviolation', (event) => {
        ((globalThis as unknown as PageGlobals).cspViolations ??= []).push(
          `${event.violatedDirective} ${event.blockedURI}`,
        );
      });
    });
    const response = await page.goto('/docs');
    expect(response!.headers()['content-security-policy']).not.toMatch(/unsafe-inline/);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const operations = await page.locator('.opblock').count();
    const paths = Object.values((await api.client(null).get('/docs-json')).body.paths as Record<string, object>).reduce(
      (n, ops) => n + Object.keys(ops).length,
      0,
    );
    expect(operations).toBe(paths);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).cspViolations ?? [])).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  }, 60_000);
});
