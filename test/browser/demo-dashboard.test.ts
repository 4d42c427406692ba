// The demo data's dashboard in a browser: Merseyside's closures on evidence, Northamptonshire's backlog, the Met's
// priority item. The figures the page shows are read from it and compared with GET /dashboard's. Its screenshot goes
// to test-output/screenshots/demo-dashboard.png (checkPage); the README's docs/images/dashboard.png is tracked and
// never written by a test (`npm run docs:images` retakes it from a running demo).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD } from '../../scripts/demo-data.js';
import { seedDemo } from '../../scripts/seed-demo.js';
import type { RunningApi } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, newContext, signIn, startApiAndBrowser } from '../support/browser.js';

const README_IMAGE = path.resolve('docs/images/dashboard.png');
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the demo dashboard (browser)', () => {
  const readmeImageBefore = hash(README_IMAGE);
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    await seedDemo(api.baseUrl, api.admin.email, api.admin.password, { log: () => {} });
  }, 180_000); // the seed takes every demo recommendation through its follow-up over HTTP

  afterAll(() => closeApiAndBrowser(api, browser));

  it("shows each force's story in its figures", async () => {
    const manager = await api.login('manager@demo.followup', DEMO_PASSWORD);
    const figures = (await api.client(manager.body.accessToken).get('/dashboard')).body;
    // The manager's own "no recent progress" count, as My work's API gives it.
    const work = (await api.client(manager.body.accessToken).get('/work')).body;
    const noRecentProgress = work.groups.find((g: any) => g.id === 'no_recent_progress')?.count ?? 0;
    const force = (name: string) => figures.byOrganisation.find((g: any) => g.label === name);
    expect(force('Merseyside Police')).toMatchObject({ closed: 18, open: 1 });
    expect(force('Northamptonshire Police').overdue).toBeGreaterThanOrEqual(5);
    expect(figures.byOrganisation[0].label).toBe('Northamptonshire Police');
    expect(force('Metropolitan Police Service').open).toBeGreaterThan(0);
    expect(figures.byArea.map((g: any) => g.label)).toEqual(
      expect.arrayContaining(['Managing offenders', 'Custody', 'Investigating crime']),
    );

    const context = await newContext(browser, api.baseUrl, { javaScript: true });
    const page = await context.newPage();
    await signIn(page, 'manager@demo.followup', DEMO_PASSWORD);
    await page.goto('/dashboard');
    await checkPage(page, 'demo-dashboard');

    // The headline figures, as the page shows them, are the API's.
    const headline = Object.fromEntries(
      await page
        .locator('dl.app-figures .app-figure')
        .evaluateAll((figures) =>
          figures.map((f: any) => [
            f.querySelector('dt').textContent.trim(),
            f.querySelector('dd a').childNodes[0].textContent.trim().replace(/\s+/g, ' '),
          ]),
        ),
    );
    const share = figures.implementedByDueDateShare;
    expect(headline).toEqual({
      Open: figures.totals.open.toLocaleString('en-GB'),
      Overdue: figures.totals.overdue.toLocaleString('en-GB'),
      Closed: figures.totals.closed.toLocaleString('en-GB'),
      'Open more than 12 months': figures.openOverTwelveMonths.toLocaleString('en-GB'),
      'Closed in the period and implemented by their due date':
        share === null
          ? 'None closed'
          : `${Math.round(share * 100)}% (${figures.implementedByDueDate} of ${figures.closedInPeriod})`,
      // Shown in whole days.
      'Median days from report to closure':
        figures.medianDaysToClosure === null
          ? 'None closed'
          : Math.round(figures.medianDaysToClosure).toLocaleString('en-GB'),
      'No recent progress': noRecentProgress.toLocaleString('en-GB'),
    });
    // Each force's row of the "by force" table: open, overdue, closed as the API counts them, in its order.
    const table = async (caption: string) =>
      page
        .locator('table', { has: page.locator('caption', { hasText: caption }) })
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((r: any) => [
            r.querySelector('th').textContent.trim(),
            ...[...r.querySelectorAll('td')].map((td: any) =>
              Number(td.childNodes[0].childNodes[0].textContent.trim()),
            ),
          ]),
        );
    const rowsOf = (groups: any[]) => groups.map((g) => [g.label, g.open, g.overdue, g.closed]);
    expect(await table('Open, overdue and closed by force')).toEqual(rowsOf(figures.byOrganisation.slice(0, 15)));
    expect(await table('Open, overdue and closed by programme')).toEqual(rowsOf(figures.byProgramme));
    expect(await table('Open, overdue and closed by area')).toEqual(rowsOf(figures.byArea));
    await context.close();
    // The README's image is tracked: no test writes it.
    expect(hash(README_IMAGE)).toBe(readmeImageBefore);
  }, 120_000);
});
