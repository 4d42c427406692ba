// Real headless Chromium (Debian's) driven by playwright-core, with an axe-core scan and a screenshot of every page visited.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** Debian's binary itself: its /usr/bin/chromium wrapper script prints a harmless shell error (stack-notes). */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium';
export const SCREENSHOTS = path.resolve('test-output/screenshots');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function newContext(browser: Browser, baseURL: string, options: { javaScript?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL, javaScriptEnabled: options.javaScript ?? true, viewport: { width: 1100, height: 900 } });
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.2 AA) on the page as it stands; injected by evaluate, which the page's CSP does not govern. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // Runs in the page: its globals are typed loosely here, as the project compiles without the DOM library.
    const inPage = globalThis as any;
    const result = await inPage.axe.run(inPage.document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => ({ target: n.target })) }));
  }, WCAG_22_AA);
}

/**
 * Checks the page a test has reached: axe finds nothing, and a full-page screenshot is saved as
 * `<name>.png`. Call it after every navigation, so that every page visited is scanned.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`), fullPage: true });
  const violations = await axeViolations(page);
  expect({ page: name, url: page.url(), violations }).toEqual({ page: name, url: page.url(), violations: [] });
}

export async function signIn(page: Page, email: string, password: string, name?: string): Promise<void> {
  await page.goto('/sign-in');
  if (name) await checkPage(page, `${name}-sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}
