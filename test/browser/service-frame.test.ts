// The frame around every page and what it never shows, in a real browser: the service's own header, the feedback link,
// signing out, the two kinds of 403, the readiness pack's link, printing one recommendation, "No recent progress" and
// the notification log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { agreedPlan, type RunningApi, type TestUser } from '../support/api-harness.js';
import { SCREENSHOTS, checkPage, closeApiAndBrowser, newContext, startApiAndBrowser } from '../support/browser.js';
import { createWebWorld, type WebWorld } from '../support/web-world.js';
import { postRaw, signedInPage } from './page-helpers.js';
import type { PageGlobals, PageElement } from '../support/page-globals.js';

const FEEDBACK = 'tracker-feedback@inspectorate.example';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

describe('the service frame (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld;
  let staleId: string;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser({ FEEDBACK_EMAIL: FEEDBACK, STALE_AFTER: 'PT2S' }));
    world = await createWebWorld(api, ['1', '2']);
    staleId = world.recs['2'];
    const planned = await world.liaison.api.post(
      `/recommendations/${staleId}/transitions`,
      agreedPlan(1, { comment: 'First line\nSecond line' }),
    );
    expect(planned.status).toBe(200);
    // STALE_AFTER (2 s) passes without progress.
    await new Promise((r) => setTimeout(r, 2500));
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  const open = async (user: TestUser, path: string): Promise<Page> => {
    const page = await signedInPage(browser, api.baseUrl, user);
    await page.goto(path);
    return page;
  };
  const mainText = (page: Page) => page.locator('main').innerText();

  it("shows the service's own header, not the GOV.UK crown, and a feedback link to FEEDBACK_EMAIL", async () => {
    const page = await open(world.liaison, '/');
    await expect(page.locator('.govuk-header__logo, .govuk-logo, .govuk-header__logotype').count()).resolves.toBe(0);
    await expect(page.locator('.app-org-header').innerText()).resolves.toBe(
      'HM Inspectorate of Constabulary and Fire & Rescue Services\nFollow-up Tracker',
    );
    await expect(page.locator('.govuk-phase-banner a').getAttribute('href')).resolves.toBe(`mailto:${FEEDBACK}`);
    await checkPage(page, 'frame-header');
  });

  /**
   * What of the GOV.UK crown or the royal coat of arms the page's header and footer draw: crown marks, SVGs, crest
   * images.
   */
  const crownsAndCrests = (page: Page) =>
    page.evaluate(() => {
      const doc = (globalThis as unknown as PageGlobals).document;
      const found: string[] = [];
      for (const region of doc.querySelectorAll('header, footer, .govuk-footer')) {
        for (const el of [region, ...region.querySelectorAll('*')]) {
          const name = String(el.className?.baseVal ?? el.className ?? '');
          if (/crown|crest|copyright-logo|govuk-logo|govuk-header__logo/.test(name)) found.push(`class ${name}`);
          if (el.tagName.toLowerCase() === 'svg') found.push(`svg ${name}`);
          for (const pseudo of [null, '::before', '::after']) {
            const style = (globalThis as unknown as PageGlobals).getComputedStyle(el, pseudo);
            for (const image of [style.backgroundImage, style.maskImage, style.webkitMaskImage]) {
              if (image && image !== 'none') found.push(`${el.tagName}${pseudo ?? ''} ${image}`);
            }
          }
        }
      }
      return found;
    });

  it('draws no GOV.UK crown or crest in the header or footer, signed in or not', async () => {
    const anonymous = await (await newContext(browser, api.baseUrl)).newPage();
    const signedIn = await open(world.manager, '/overdue');
    for (const [page, path] of [
      [anonymous, '/sign-in'],
      [anonymous, '/register'],
      [signedIn, '/'],
      [signedIn, '/overdue'],
    ] as const) {
      await page.goto(path);
      await expect(page.locator('footer.govuk-template__footer').count()).resolves.toBe(1);
      await expect(page.locator('footer').innerText()).resolves.toContain(
        'Follow-up Tracker is run by HM Inspectorate of Constabulary and Fire & Rescue Services',
      );
      expect({ path, found: await crownsAndCrests(page) }).toEqual({ path, found: [] });
    }
    await anonymous.goto('/sign-in');
    await checkPage(anonymous, 'frame-footer-anonymous');
    await checkPage(signedIn, 'frame-footer-signed-in');
  });

  it('ends signing out on /sign-in saying "You have signed out"', async () => {
    const page = await open(world.liaison, '/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.getByText('You have signed out').count()).resolves.toBe(1);
    await checkPage(page, 'signed-out');
    // Once only, and the old session is gone.
    await page.goto('/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect(page.getByText('You have signed out').count()).resolves.toBe(0);
  });

  it('says which 403 happened: no access, or an expired form', async () => {
    const page = await open(world.liaison, '/overdue');
    await expect(page.locator('h1').innerText()).resolves.toBe('You do not have access to this page');
    await checkPage(page, '403-no-access');
    const expired = await postRaw(page, '/account/notifications', '_csrf=forged&reminderDelivery=immediate&version=1');
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('The form has expired');
    expect(expired.text).not.toContain('You do not have access');
  });

  it("links the readiness pack from its inspection's page", async () => {
    const page = await open(world.lead, `/inspections/${world.inspection.id}`);
    await page.getByRole('link', { name: /Revisit readiness pack/ }).click();
    expect(new URL(page.url()).pathname).toBe(`/inspections/${world.inspection.id}/readiness`);
  });

  it('tags a planned recommendation with no recent progress on its page, in lists and on the dashboard', async () => {
    const page = await open(world.liaison, `/recommendations/${staleId}`);
    await expect(page.locator('.govuk-summary-list').getByText('No recent progress').count()).resolves.toBe(1);
    const list = await open(world.manager, `/inspections/${world.inspection.id}`);
    await expect(
      list.locator('tbody tr', { hasText: 'Recommendation 2' }).getByText('No recent progress').count(),
    ).resolves.toBe(1);
    await expect(
      list.locator('tbody tr', { hasText: 'Recommendation 1' }).getByText('No recent progress').count(),
    ).resolves.toBe(0);
    const dashboard = await open(world.manager, '/dashboard');
    const figure = dashboard.locator('#no-recent-progress a');
    await expect(figure.innerText()).resolves.toMatch(/^1\b/);
    const href = (await figure.getAttribute('href'))!;
    await Promise.all([dashboard.waitForURL((url) => url.href.endsWith(href)), figure.click()]);
    await expect(dashboard.locator('main tbody tr').count()).resolves.toBe(1);
    await checkPage(dashboard, 'dashboard-no-recent-progress');
  });

  it('shows history with its line breaks, each comment once, and the notification log in words, cancelled plans behind details', async () => {
    const page = await open(world.admin, `/recommendations/${staleId}`);
    // A page whose model names a force still shows the inspectorate in the header.
    await expect(page.locator('.app-org-header__org').innerText()).resolves.toBe(
      'HM Inspectorate of Constabulary and Fire & Rescue Services',
    );
    const comment = page.locator('.moj-timeline').getByText(/First line/);
    await expect(comment.count()).resolves.toBe(1);
    await expect(comment.innerText()).resolves.toBe('“First line\nSecond line”');
    const text = await mainText(page);
    expect(text).not.toMatch(ISO_TIME);
    expect(text).not.toMatch(UUID);
    expect(text).not.toMatch(/\b(submit_plan|closure_proposed|action_plan|due_date|no_progress|P\d+[DWMY])\b/);
    // The action plan's reminders were cancelled by the plan: listed only behind the details element.
    const details = page.locator('details', { hasText: 'Cancelled notifications' });
    await expect(details.count()).resolves.toBe(1);
    await expect(details.getAttribute('open')).resolves.toBeNull();
    const shown = page.locator('table', {
      has: page.locator('caption', { hasText: 'Notifications about this recommendation' }),
    });
    await expect(shown.getByText('Cancelled').count()).resolves.toBe(0);
    await expect(shown.locator('tbody tr').first().innerText()).resolves.toMatch(
      /Planned for \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)/,
    );
    await checkPage(page, 'recommendation-notification-log');
  });

  it('prints one recommendation cleanly: no header, navigation, banners or forms', async () => {
    const page = await open(world.liaison, `/recommendations/${world.recs['1']}`);
    await page.emulateMedia({ media: 'print' });
    for (const selector of [
      '.app-org-header',
      '.govuk-service-navigation',
      '.govuk-phase-banner',
      'form',
      '.govuk-footer',
    ]) {
      await expect(page.locator(selector).first().isVisible()).resolves.toBe(false);
    }
    await expect(page.locator('h1').isVisible()).resolves.toBe(true);
    await expect(page.locator('section.app-action').first().isVisible()).resolves.toBe(false);
    // No link spells out its address (which would print an id).
    const afterLinks = await page
      .locator('main a')
      .evaluateAll((links) =>
        links.map((a) => (globalThis as unknown as PageGlobals).getComputedStyle(a as PageElement, '::after').content),
      );
    expect(afterLinks.filter((c) => c !== 'none' && c !== 'normal')).toEqual([]);
    await page.pdf({ path: `${SCREENSHOTS}/recommendation-print.pdf`, format: 'A4' });
    await page.screenshot({ path: `${SCREENSHOTS}/recommendation-print.png`, fullPage: true });
  });
});
