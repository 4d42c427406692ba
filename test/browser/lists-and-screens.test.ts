// Lists and screens in a real browser and over HTTP: references in people's order, pages that fit 390/768/1280 px, CSV
// links for any Accept and an API token.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import type { RunningApi } from '../support/api-harness.js';
import {
  checkPage,
  closeApiAndBrowser,
  newContext,
  SCREENSHOTS,
  signIn,
  startApiAndBrowser,
} from '../support/browser.js';
import { TEST_PASSWORD } from '../support/api-harness.js';
import { createWebWorld, type WebWorld } from '../support/web-world.js';

/** Made in this order in one request: the lists must still count 1, 2, … 10, 19. */
const MADE = ['10', '2', '19', '1', '3', '11', '9', '4', '12', '5', '13', '6', '14', '7', '15', '8', '16', '17', '18'];
const COUNTED = MADE.map(Number)
  .sort((a, b) => a - b)
  .map(String);
const WIDTHS = [390, 768, 1280];

describe('lists in order, pages that fit, CSV links (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    world = await createWebWorld(api, MADE);
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  async function pageAt(width: number, email: string, javaScript = true): Promise<Page> {
    const context = await newContext(browser, api.baseUrl, { javaScript });
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, email, TEST_PASSWORD);
    return page;
  }

  const csvOf = (text: string): string[][] =>
    parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][];
  const column = (rows: string[][], header: string): string[] => {
    const at = rows[0].indexOf(header);
    expect(at).toBeGreaterThanOrEqual(0);
    return rows.slice(1).map((row) => row[at]);
  };

  describe('references sort as people count', () => {
    it('in the API list, page by page, and most overdue first', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/recommendations?inspectionId=${world.inspection.id}&limit=4${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await api.adminApi.get(query);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((r: any) => r.reference));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(COUNTED);
      const overdue = await api.adminApi.get(
        `/recommendations?inspectionId=${world.inspection.id}&overdue=true&limit=500`,
      );
      expect(overdue.body.items.map((r: any) => r.reference)).toEqual(COUNTED);
      expect(
        (await api.adminApi.get(`/inspections/${world.inspection.id}`)).body.recommendations.map(
          (r: any) => r.reference,
        ),
      ).toEqual(COUNTED);
    });

    it('on the inspection page, the overdue list, the readiness pack and their CSVs', async () => {
      const page = await pageAt(1280, world.manager.email);
      await page.goto(`/inspections/${world.inspection.id}`);
      const links = await page.locator('a[href^="/recommendations/"]').allTextContents();
      expect(links.map((t) => t.replace('Recommendation', '').trim())).toEqual(COUNTED);
      await page.goto('/overdue');
      const overdueLinks = await page
        .locator('table a[href^="/recommendations/"]')
        .evaluateAll((as) => as.map((a) => (a.firstChild?.textContent ?? '').replace('Recommendation', '').trim()));
      expect(overdueLinks).toEqual(COUNTED);
      await page.goto(`/inspections/${world.inspection.id}/readiness`);
      const packHeadings = await page.locator('h2').allTextContents();
      expect(
        packHeadings.filter((h) => /^Recommendation \d+/.test(h.trim())).map((h) => h.trim().split(/\s+/)[1]),
      ).toEqual(COUNTED);
      const headers = { authorization: `Bearer ${world.manager.token}` };
      for (const csvPath of [
        `/inspections/${world.inspection.id}/recommendations.csv`,
        '/overdue.csv',
        `/inspections/${world.inspection.id}/readiness.csv`,
      ]) {
        const rows = csvOf(await (await fetch(`${api.baseUrl}${csvPath}`, { headers })).text());
        expect({
          csvPath,
          references: column(rows, rows[0].includes('Reference') ? 'Reference' : 'reference'),
        }).toEqual({ csvPath, references: COUNTED });
      }
      await page.context().close();
    });
  });

  describe('CSV links answer CSV, with London dates', () => {
    const paths = (w: WebWorld) => [
      '/overdue.csv',
      '/inspections.csv',
      `/inspections/${w.inspection.id}/recommendations.csv`,
      `/inspections/${w.inspection.id}/readiness.csv`,
      '/dashboard/list.csv?state=overdue',
    ];

    it('whatever the Accept header, with the API token as a bearer (a spreadsheet "from web" import)', async () => {
      for (const csvPath of paths(world)) {
        for (const accept of ['text/csv', '*/*', 'application/json', 'text/html']) {
          const response = await fetch(`${api.baseUrl}${csvPath}`, {
            headers: { accept, authorization: `Bearer ${world.manager.token}` },
          });
          expect({ csvPath, accept, status: response.status, type: response.headers.get('content-type') }).toEqual({
            csvPath,
            accept,
            status: 200,
            type: 'text/csv; charset=utf-8',
          });
          expect(csvOf(await response.text()).length).toBeGreaterThan(1);
        }
      }
    });

    it('refuses a bad token (401), a role the list is not for (403) and another force (404), without a session', async () => {
      const bad = await fetch(`${api.baseUrl}/overdue.csv`, {
        headers: { accept: 'text/csv', authorization: 'Bearer not-a-token' },
      });
      expect(bad.status).toBe(401);
      const liaison = await fetch(`${api.baseUrl}/overdue.csv`, {
        headers: { accept: 'text/csv', authorization: `Bearer ${world.liaison.token}` },
      });
      expect(liaison.status).toBe(403);
      const other = await fetch(`${api.baseUrl}/inspections/${world.inspection.id}/recommendations.csv`, {
        headers: { accept: '*/*', authorization: `Bearer ${world.otherLiaison.token}` },
      });
      expect(other.status).toBe(404);
      expect(await other.text()).not.toContain('Review how registered');
      // No token and no session: the sign-in page, as before, never the rows.
      const anonymous = await fetch(`${api.baseUrl}/overdue.csv`, {
        headers: { accept: 'text/csv' },
        redirect: 'manual',
      });
      expect(anonymous.status).toBe(303);
    });

    it('gives dates as London yyyy-mm-dd and moments in a column of their own with an offset', async () => {
      const headers = { authorization: `Bearer ${world.manager.token}` };
      const recs = csvOf(
        await (
          await fetch(`${api.baseUrl}/inspections/${world.inspection.id}/recommendations.csv`, { headers })
        ).text(),
      );
      expect(new Set(column(recs, 'Action plan due'))).toEqual(
        new Set([world.inspection.actionPlanDueAt.slice(0, 10)]),
      );
      for (const cell of column(recs, 'Due date')) expect(cell).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const inspections = csvOf(await (await fetch(`${api.baseUrl}/inspections.csv`, { headers })).text());
      // Published 12:00 UTC on 30 August 2018 (13:00 in London).
      expect(column(inspections, 'Published')).toContain('2018-08-30');
      const list = csvOf(await (await fetch(`${api.baseUrl}/dashboard/list.csv?state=overdue`, { headers })).text());
      for (const cell of column(list, 'due date')) expect(cell).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const cell of column(list, 'updated'))
        expect(cell).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
      const overdue = csvOf(await (await fetch(`${api.baseUrl}/overdue.csv`, { headers })).text());
      expect(overdue[0]).toEqual(expect.arrayContaining(['Recommendation', 'Status', 'Owner', 'RAG', 'Deadline']));
      expect(column(overdue, 'Recommendation')[0]).toContain('Review how registered sex offender visits');
      expect(new Set(column(overdue, 'Status'))).toEqual(new Set(['Issued']));
    });
  });

  describe('every page fits 390, 768 and 1280 px', () => {
    const mainPages = (w: WebWorld) => [
      '/',
      '/inspections',
      `/inspections/${w.inspection.id}`,
      `/recommendations/${w.recs['1']}`,
      '/overdue',
      '/dashboard',
      '/dashboard/list?state=overdue',
      `/inspections/${w.inspection.id}/readiness`,
      '/import',
      '/account',
      '/register',
    ];

    it('without the page scrolling sideways, for a manager, an inspector, a liaison officer and an administrator', async () => {
      const overflowing: string[] = [];
      for (const width of WIDTHS) {
        for (const user of [world.admin, world.liaison]) {
          const page = await pageAt(width, user.email);
          for (const pagePath of mainPages(world)) {
            const response = await page.goto(pagePath);
            if (response?.status() !== 200) continue; // a page this role may not open
            const { scroll, inner } = await page.evaluate(() => {
              const scope = globalThis as any;
              return {
                scroll: scope.document.documentElement.scrollWidth as number,
                inner: scope.innerWidth as number,
              };
            });
            if (scroll > inner) overflowing.push(`${pagePath} at ${width} px as ${user.role}: ${scroll} > ${inner}`);
          }
          await page.context().close();
        }
      }
      expect(overflowing).toEqual([]);
    }, 240_000);

    it("draws the dashboard's chart labels at 14 px or more, and its drill-down list names force and inspection by the deadline its days count from", async () => {
      const page = await pageAt(390, world.manager.email);
      await page.goto('/dashboard');
      const sizes = await page
        .locator('svg.app-chart text')
        .evaluateAll((texts) =>
          texts.map(
            (t) =>
              Number.parseFloat((globalThis as any).getComputedStyle(t).fontSize) * ((t as any).getScreenCTM()?.a ?? 1),
          ),
        );
      expect(sizes.length).toBeGreaterThan(0);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(14);
      await checkPage(page, 'dashboard-phone-390');
      await page.goto('/dashboard/list?state=overdue');
      const headers = await page.locator('thead th').allTextContents();
      expect(headers.map((h) => h.trim())).toEqual(
        expect.arrayContaining(['Force and inspection', 'Next deadline', 'Overdue']),
      );
      const firstRow = (await page.locator('tbody tr').first().locator('td').allTextContents()).map((t) =>
        t.replace(/\s+/g, ' ').trim(),
      );
      expect(firstRow[1]).toBe(`${world.force.name}Merseyside NCPI 2018`);
      // The action plan was due 6 weeks after 30 August 2018: 11 October 2018, the date the days count from.
      expect(firstRow.join(' | ')).toContain('11 October 2018');
      await checkPage(page, 'dashboard-list-phone-390');
      await page.context().close();
    }, 60_000);

    it('collapses the overdue filter on a phone (works without JavaScript), counts the matches and scrolls the table in a labelled region', async () => {
      const phone = await pageAt(390, world.manager.email, false);
      await phone.goto('/overdue');
      const details = phone.locator('details.app-filter-details');
      expect(await details.evaluate((d) => (d as any).open)).toBe(false);
      expect(await phone.getByLabel('Force', { exact: true }).isVisible()).toBe(false);
      await expect(phone.locator('#overdue-total').textContent()).resolves.toBe(
        `${COUNTED.length} overdue recommendations`,
      );
      const region = phone.locator('[role="region"][tabindex="0"][aria-label]').first();
      await expect(region.count()).resolves.toBe(1);
      await checkPage(phone, 'overdue-phone-390-filters-hidden');
      await phone.getByText('Show filters').click();
      await phone.getByLabel('Force', { exact: true }).selectOption({ label: world.force.name });
      await phone.getByRole('button', { name: 'Apply filters' }).click();
      await phone.waitForLoadState();
      expect(new URL(phone.url()).searchParams.get('force')).toBe(world.force.id);
      await expect(phone.locator('#overdue-total').textContent()).resolves.toBe(
        `${COUNTED.length} overdue recommendations match these filters`,
      );
      await phone.context().close();

      const withScript = await pageAt(390, world.manager.email);
      await withScript.goto('/overdue');
      expect(await withScript.locator('details.app-filter-details').evaluate((d) => (d as any).open)).toBe(false);
      // The filter sits in the page's flow above the results, not over them.
      const summaryBox = await withScript.getByText('Show filters').boundingBox();
      const totalBox = await withScript.locator('#overdue-total').boundingBox();
      expect(summaryBox!.y + summaryBox!.height).toBeLessThanOrEqual(totalBox!.y);
      await checkPage(withScript, 'overdue-list-phone-390');
      // What a phone shows first (the full page is saved by checkPage), under test-output/: the README's
      // docs/images/overdue-list-phone-390.png is tracked and retaken by `npm run docs:images`, never by a test.
      await withScript.screenshot({ path: path.join(SCREENSHOTS, 'overdue-list-phone-390-screen.png') });
      await withScript.context().close();

      const desktop = await pageAt(1280, world.manager.email);
      await desktop.goto('/overdue');
      expect(await desktop.locator('details.app-filter-details').evaluate((d) => (d as any).open)).toBe(true);
      expect(await desktop.getByLabel('Force', { exact: true }).isVisible()).toBe(true);
      await checkPage(desktop, 'overdue-list-desktop-1280');
      await desktop.context().close();
    }, 120_000);
  });
});
