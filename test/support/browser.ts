// Real headless Chromium (Debian's) driven by playwright-core, with an axe-core scan and a screenshot of every page
// visited.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { expect } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApi, type RunningApi } from './api-harness.js';
import type { PageGlobals } from './page-globals.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/**
 * Debian's binary itself: its /usr/bin/chromium wrapper script prints a harmless shell error
 * (docs/contracts/stack-notes.md).
 */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium';
export const SCREENSHOTS = path.resolve('test-output/screenshots');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The API in-process (with `env`) and Chromium, started side by side for one browser test file. */
export async function startApiAndBrowser(
  env: Record<string, string> = {},
): Promise<{ api: RunningApi; browser: Browser }> {
  const [api, browser] = await Promise.all([startApi(env), launchBrowser()]);
  return { api, browser };
}

/**
 * Closes what startApiAndBrowser started (with every context of the browser); either may be missing when start-up
 * failed.
 */
export async function closeApiAndBrowser(api: RunningApi | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await api?.close();
}

/** Contexts with JavaScript turned off: axe cannot run inside their pages (its timers never fire there). */
const withoutJavaScript = new WeakSet<BrowserContext>();

export async function newContext(
  browser: Browser,
  baseURL: string,
  options: { javaScript?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: 1100, height: 900 },
  });
  if (options.javaScript === false) withoutJavaScript.add(context);
  return context;
}

/**
 * Scans what a page without JavaScript shows: its HTML, scripts removed, served by an intercepted
 * request on the app's own origin (so the stylesheets load under the app's Cross-Origin-Resource-Policy)
 * into a scratch page of a JavaScript-enabled context, where axe can run.
 */
async function axeViolationsWithoutJavaScript(page: Page): Promise<AxeViolation[]> {
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  const scratchUrl = `${new URL(page.url()).origin}/__axe-scratch`;
  const scratchContext = await page
    .context()
    .browser()!
    .newContext({ viewport: { width: 1100, height: 900 } });
  try {
    const scratch = await scratchContext.newPage();
    await scratch.route(scratchUrl, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await scratch.goto(scratchUrl, { waitUntil: 'load' });
    // Unstyled HTML would give axe a different page: make sure GOV.UK Frontend's stylesheet applied.
    const font = await scratch.evaluate(
      () =>
        (globalThis as unknown as PageGlobals).getComputedStyle(
          (globalThis as unknown as PageGlobals).document.querySelector('h1')!,
        ).fontFamily,
    );
    if (!font.includes('GDS Transport'))
      throw new Error(`the scratch copy of ${page.url()} has no GOV.UK styles (font: ${font})`);
    return await axeViolations(scratch);
  } finally {
    await scratchContext.close();
  }
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

/** Runs axe-core (WCAG 2.2 AA) on the page as it stands; injected by evaluate, which the page's CSP does not govern. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const scope = globalThis as unknown as PageGlobals;
    const result = await scope.axe.run(scope.document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
    }));
  }, WCAG_22_AA);
}

/**
 * Checks the page a test has reached: axe finds nothing, and a full-page screenshot is saved as
 * `<name>.png`. Call it after every navigation, so that every page visited is scanned.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`), fullPage: true });
  const violations = withoutJavaScript.has(page.context())
    ? await axeViolationsWithoutJavaScript(page)
    : await axeViolations(page);
  expect({ page: name, url: page.url(), violations }).toEqual({ page: name, url: page.url(), violations: [] });
}

export async function signIn(page: Page, email: string, password: string, name?: string): Promise<void> {
  await page.goto('/sign-in');
  if (name) await checkPage(page, `${name}-sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForLoadState();
}
