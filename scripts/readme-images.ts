// `npm run docs:images`: takes the README's pictures (docs/images/*.png) again from a running `npm start` demo.
//
// 1. Start the demo with single sign-on configured, so that the sign-in page shows both ways in: the command that
//    `npm run demo:oidc` prints (`OIDC_ISSUER=... npm start`; the identity provider itself need not run, the page only
//    reads the settings). Without it the sign-in picture is left as it is.
// 2. In another terminal: `npm run docs:images` (against BASE_URL, else http://localhost:3000), or `npm run docs:images
//    -- <base URL>`. It compiles over dist/ without emptying it first, as `npm run build` would: the running demo
//    serves its pages from there. Then look at every picture before committing it.
//
// It signs in as the demo users through the web pages, with Debian's Chromium driven by playwright-core (device scale
// 1, to keep the files small), and drives the demo where a picture needs a state: the Northamptonshire lead inspector
// returns the closure the demo proposes, and its liaison officer uploads a small PDF. It changes the demo's data (as a
// person trying it would) and overwrites docs/images: tests never import it. A second run works on the same demo: the
// closure already returned is shown again, the upload goes to another recommendation.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './demo-data.js';
import { demoEvidencePdf } from './demo-evidence.js';
import { repoRoot } from './local-services.js';
import { ApiClient, type EvidenceFileAnswer, type RecommendationAnswer } from './seed-demo.js';

/** Debian's binary itself: its /usr/bin/chromium wrapper script prints a harmless shell error. */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/lib/chromium/chromium';
const IMAGES = path.join(repoRoot(), 'docs', 'images');
const PHONE = 390;
const DESKTOP = 1280;
/** The width of the pictures whose names say none: the GOV.UK page at its widest, without wide margins. */
const PAGE = 1100;
const HEIGHT = 900;
/** Space kept below the last element a picture shows. */
const MARGIN = 30;
const SCAN_TIMEOUT_MS = 60_000;

const LIAISON = 'liaison.northants@demo.followup';
const LEAD = 'inspector.billingham@demo.followup';
/** The inspector whose demo inspection has a closure waiting for review (the Met's). */
const REVIEWER = 'inspector.freeman@demo.followup';
const MANAGER = 'manager@demo.followup';
/** The lead of Merseyside's inspection, for the recommendation page. */
const MERSEYSIDE_LEAD = 'inspector.parr@demo.followup';
const NORTHANTS = 'Northamptonshire Police: National Child Protection Inspection 2018';
const MERSEYSIDE = 'Merseyside Police: National Child Protection Inspection 2018';
/** Merseyside's recommendation with an action plan and progress, still open: every part of the page shows. */
const MERSEYSIDE_REFERENCE = '16';
const RETURN_REASON =
  'The reconciliation report covers the northern area only.\nSend the force-wide figures for every address.';
const UPLOAD_NAME = 'Offender management caseloads, March 2019.pdf';

/**
 * What `bottomOf` reads of a page element and of the page's globals: it runs in the browser, and the scripts compile
 * without TypeScript's DOM library.
 */
interface PictureElement {
  getBoundingClientRect(): { top: number; bottom: number };
  nextElementSibling: PictureElement | null;
}
interface PictureGlobals {
  scrollY: number;
  document: { fonts: { ready: Promise<unknown> } };
}
const say = (line: string) => console.log(`[images] ${line}`);

/** A page of a fresh browser context, signed in through the sign-in page as `email`. */
async function signedIn(browser: Browser, baseUrl: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: DESKTOP, height: HEIGHT } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForLoadState();
  if (new URL(page.url()).pathname === '/sign-in') throw new Error(`${email} could not sign in: is the demo loaded?`);
  return page;
}

/** Where a picture down to `element` ends: a margin below it, but above whatever follows it. */
function bottomOf(element: PictureElement, margin: number): number {
  const { scrollY } = globalThis as unknown as PictureGlobals;
  const below = element.getBoundingClientRect().bottom + scrollY + margin;
  const next = element.nextElementSibling?.getBoundingClientRect();
  return Math.ceil(next ? Math.min(below, next.top + scrollY) : below);
}

/**
 * Saves `page` at `width` as docs/images/`name`.png: the whole page, the top of it as a screen shows it, or the page
 * down to the end of the element `until` selects.
 */
async function picture(page: Page, name: string, width: number, view: 'full page' | 'top', until?: string) {
  await page.setViewportSize({ width, height: HEIGHT });
  await page.evaluate(() => (globalThis as unknown as PictureGlobals).document.fonts.ready);
  const file = path.join(IMAGES, `${name}.png`);
  const end = until ? await page.locator(until).evaluate(bottomOf, MARGIN) : undefined;
  const clip = end === undefined ? undefined : { x: 0, y: 0, width, height: end };
  await page.screenshot({ path: file, fullPage: view === 'full page', clip });
  say(`${path.relative(repoRoot(), file)} (${width} px, ${until ? `down to ${until}` : view})`);
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'networkidle' });
}

/** A recommendation as GET /inspections/{id} lists it (without its history). */
type ListedRecommendation = Omit<RecommendationAnswer, 'history'>;

/** An inspection's recommendations (id, reference, status), found by its title. */
async function recommendationsOf(api: ApiClient, title: string): Promise<ListedRecommendation[]> {
  const found = (await api.list<{ id: string; title: string }>('/inspections')).find((i) => i.title === title);
  if (!found) throw new Error(`the demo has no inspection "${title}": is the demo loaded?`);
  return (await api.get<{ recommendations: ListedRecommendation[] }>(`/inspections/${found.id}`)).recommendations;
}

/**
 * A returned closure for the liaison to see: the lead inspector returns the one waiting (through the decision
 * question and its confirmation), or, when a previous run did, the one returned last.
 */
async function returnedClosure(browser: Browser, baseUrl: string, api: ApiClient): Promise<string> {
  const recommendations = await recommendationsOf(api, NORTHANTS);
  const waiting = recommendations.find((r) => r.status === 'closure_proposed');
  if (waiting) {
    const inspector = await signedIn(browser, baseUrl, LEAD);
    await open(inspector, `/recommendations/${waiting.id}`);
    const decide = inspector.locator('section.app-action', {
      has: inspector.getByRole('heading', { name: 'Decide on the closure proposal', exact: true }),
    });
    await decide.getByRole('radio', { name: 'Return to the force' }).check();
    await decide.getByLabel('Reason').fill(RETURN_REASON);
    await decide.getByRole('button', { name: 'Continue', exact: true }).click();
    await inspector.waitForLoadState();
    await inspector.getByRole('button', { name: 'Confirm decision', exact: true }).click();
    await inspector.waitForLoadState();
    await inspector.context().close();
    say(`returned the closure of Northamptonshire recommendation ${waiting.reference} as its lead inspector`);
    return waiting.id;
  }
  let latest: { id: string; at: string } | undefined;
  for (const r of recommendations) {
    const { history } = await api.get<{ history: { action: string; at: string }[] }>(`/recommendations/${r.id}`);
    for (const step of history.filter((h) => h.action === 'return'))
      if (!latest || step.at > latest.at) latest = { id: r.id, at: step.at };
  }
  if (!latest) throw new Error(`no closure of "${NORTHANTS}" is waiting for a decision or returned`);
  return latest.id;
}

/** An open recommendation with no evidence file yet (a previous run's upload took another), else the first open one. */
async function uploadTarget(api: ApiClient): Promise<string> {
  const open = (await recommendationsOf(api, NORTHANTS)).filter((r) => r.status === 'issued');
  if (open.length === 0) throw new Error(`"${NORTHANTS}" has no recommendation waiting for its action plan`);
  for (const r of open) {
    const files = await api.get<EvidenceFileAnswer[]>(`/recommendations/${r.id}/evidence/files`);
    if (files.length === 0) return r.id;
  }
  return open[0].id;
}

/** Until the file just uploaded (the newest one called `name`) has its virus scan's result. */
async function scanned(api: ApiClient, recommendationId: string, name: string): Promise<void> {
  const deadline = Date.now() + SCAN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const files = await api.get<EvidenceFileAnswer[]>(`/recommendations/${recommendationId}/evidence/files`);
    const newest = files.filter((f) => f.name === name).sort((a, b) => (a.uploadedAt < b.uploadedAt ? 1 : -1))[0];
    if (newest && newest.scan !== 'pending') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  say(`the scan of ${name} took over ${SCAN_TIMEOUT_MS / 1000} s: the picture shows it waiting`);
}

/**
 * Uploads the demo PDF through the page's form. The upload's answer (a redirect to the page, which shows the
 * confirmation once) is held until the file is scanned, so that the picture shows the scan's result with it.
 */
async function upload(page: Page, api: ApiClient, recommendationId: string): Promise<void> {
  const url = `/recommendations/${recommendationId}`;
  await open(page, url);
  await page.route(
    (u) => u.pathname === `${url}/evidence/files`,
    async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      await scanned(api, recommendationId, UPLOAD_NAME);
      await route.fulfill({ response });
    },
  );
  await page.getByLabel('Upload evidence files').setInputFiles({
    name: UPLOAD_NAME,
    mimeType: 'application/pdf',
    buffer: demoEvidencePdf([
      'Offender management caseloads, March 2019',
      'Higher-risk offenders per offender manager, by area, after the new posts were filled.',
    ]),
  });
  await page.getByRole('button', { name: 'Upload files', exact: true }).click();
  await page.waitForURL((u) => u.pathname === url, { waitUntil: 'networkidle' });
  await page.unrouteAll();
}

async function signInPicture(browser: Browser, baseUrl: string): Promise<void> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  await open(page, '/sign-in');
  const bothWays = await page.getByRole('button', { name: 'Sign in with your organisation account' }).count();
  if (bothWays > 0) await picture(page, 'sign-in-both-ways-1280', DESKTOP, 'full page');
  else say('sign-in-both-ways-1280.png left as it is: the demo runs without OIDC_ISSUER (see the header of this file)');
  await context.close();
}

async function main(): Promise<void> {
  const baseUrl = (process.argv[2] || process.env.BASE_URL || 'http://localhost:3000').replace(/\/$/, '');
  mkdirSync(IMAGES, { recursive: true });
  const liaisonApi = await ApiClient.login(baseUrl, LIAISON, DEMO_PASSWORD);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    await signInPicture(browser, baseUrl);

    const returned = await returnedClosure(browser, baseUrl, liaisonApi);
    // One sign-in per person: each sign-in moves the "since your last visit" of My work.
    const liaison = await signedIn(browser, baseUrl, LIAISON);
    await open(liaison, '/');
    await picture(liaison, 'my-work-liaison-1280', DESKTOP, 'full page');
    await picture(liaison, 'my-work-liaison-390', PHONE, 'full page');
    await open(liaison, `/recommendations/${returned}`);
    await picture(liaison, 'decision-banner', DESKTOP, 'top');
    await picture(liaison, 'decision-banner-phone', PHONE, 'top');
    await liaison.setViewportSize({ width: PAGE, height: HEIGHT });
    await upload(liaison, liaisonApi, await uploadTarget(liaisonApi));
    await picture(liaison, 'evidence-files', PAGE, 'full page');

    const inspector = await signedIn(browser, baseUrl, REVIEWER);
    await open(inspector, '/');
    await picture(inspector, 'my-work-inspector-1280', DESKTOP, 'full page');
    await picture(inspector, 'my-work-inspector-390', PHONE, 'full page');

    const manager = await signedIn(browser, baseUrl, MANAGER);
    await open(manager, '/');
    await picture(manager, 'my-work-manager-1280', DESKTOP, 'full page');
    await picture(manager, 'my-work-manager-390', PHONE, 'full page');
    await manager.setViewportSize({ width: PHONE, height: HEIGHT });
    await open(manager, '/overdue');
    await picture(manager, 'overdue-list-phone-390', PHONE, 'top');
    await manager.setViewportSize({ width: PAGE, height: HEIGHT });
    await open(manager, '/dashboard');
    await picture(manager, 'dashboard', PAGE, 'full page');

    const lead = await signedIn(browser, baseUrl, MERSEYSIDE_LEAD);
    const leadApi = await ApiClient.login(baseUrl, MERSEYSIDE_LEAD, DEMO_PASSWORD);
    const merseyside = await recommendationsOf(leadApi, MERSEYSIDE);
    const recommendation = merseyside.find((r) => r.reference === MERSEYSIDE_REFERENCE);
    if (!recommendation) throw new Error(`"${MERSEYSIDE}" has no recommendation ${MERSEYSIDE_REFERENCE}`);
    await lead.setViewportSize({ width: PAGE, height: HEIGHT });
    await open(lead, `/recommendations/${recommendation.id}`);
    // Down to the history, as the README describes the page: the table of notifications below it is left out.
    await picture(lead, 'recommendation', PAGE, 'full page', '.moj-timeline');
  } finally {
    await browser.close();
  }
}

main().catch((err: Error) => {
  console.error(`[images] ${err.message}`);
  process.exit(1);
});
