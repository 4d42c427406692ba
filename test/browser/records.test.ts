// Oversight and records in a real browser: import with a bad row then fixed, dashboard and its lists, CSV export
// re-read, calendar feed, register signed out, lineage links, the printable pack.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import type { RunningApi, TestUser, Schema, Recommendation } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, newContext } from '../support/browser.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';
import { signedInPage } from './page-helpers.js';

const OUTPUT = path.resolve('test-output');

describe('oversight and records (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld;
  beforeAll(async () => ({ api, browser, world } = await startWebWorld()));
  afterAll(() => closeApiAndBrowser(api, browser));

  const signedIn = (user: TestUser, options: { javaScript?: boolean } = {}) =>
    signedInPage(browser, api.baseUrl, user, options);

  async function fillImportForm(page: Page, title: string, file: { name: string; text: string }): Promise<void> {
    await page.getByLabel('Organisation').selectOption({ label: world.force.name });
    await page.getByLabel('Inspection title').fill(title);
    await page.getByLabel('Programme').fill('NCPI');
    await page.getByLabel('Day').fill('30');
    await page.getByLabel('Month').fill('8');
    await page.getByLabel('Year').fill('2018');
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: file.name, mimeType: 'text/csv', buffer: Buffer.from(file.text) });
  }

  const inspectionTitled = async (title: string) =>
    (await api.adminApi.get(`/inspections?organisationId=${world.force.id}&limit=500`)).body.items.filter(
      (i: Schema<'InspectionResponse'>) => i.title === title,
    );

  it.each([
    { javaScript: true, suffix: 'js' },
    { javaScript: false, suffix: 'nojs' },
  ])(
    'imports a report: a bad row is refused and named, nothing saved; fixed, checked and imported (JavaScript $javaScript)',
    async ({ javaScript, suffix }) => {
      const title = `Merseyside NCPI import ${suffix}`;
      const page = await signedIn(world.lead, { javaScript });
      await page.goto('/import');
      await checkPage(page, `import-1-form-${suffix}`);
      await expect(page.getByLabel('Lead inspector').inputValue()).resolves.toBe(world.lead.id);

      const bad =
        'reference,text,due date,priority,area\n1,Visit every registered sex offender,28/02/2019,yes,Managing offenders\n2,"Review custody,\nincluding children",2019-03-31,no,Custody\n3,Flag addresses,31/02/2019,no,\n';
      await fillImportForm(page, title, { name: 'merseyside.csv', text: bad });
      await page.getByRole('button', { name: 'Check file' }).click();
      await page.waitForLoadState();
      const summary = page.getByRole('alert');
      await expect(
        summary.getByRole('link', { name: 'Row 4: due date "31/02/2019" is not a date' }).count(),
      ).resolves.toBe(1);
      await checkPage(page, `import-2-bad-row-${suffix}`);
      expect(await inspectionTitled(title)).toEqual([]);

      await page.getByLabel('CSV file').setInputFiles({
        name: 'merseyside-fixed.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(bad.replace('31/02/2019', '28/02/2019')),
      });
      await page.getByRole('button', { name: 'Check file' }).click();
      await page.waitForLoadState();
      await expect(page.getByRole('heading', { name: '3 recommendations to import' }).count()).resolves.toBe(1);
      await checkPage(page, `import-3-preview-${suffix}`);
      expect(await inspectionTitled(title)).toEqual([]);
      // What will be created, in words, above the Import button; what would be overdue on arrival is named.
      const headingBox = await page.getByRole('heading', { name: '3 recommendations to import' }).boundingBox();
      const importBox = await page.getByRole('button', { name: 'Import', exact: true }).boundingBox();
      expect(headingBox!.y).toBeLessThan(importBox!.y);
      await expect(
        page
          .getByText("The force's action plan will be due on 11 October 2018; the revisit on 28 February 2019.")
          .count(),
      ).resolves.toBe(1);
      for (const named of [
        'The action plan (due 11 October 2018)',
        'Recommendation 1 (due 28 February 2019)',
        'Recommendation 3 (due 28 February 2019)',
      ]) {
        await expect(page.getByText(named, { exact: true }).count()).resolves.toBe(1);
      }
      // Importing it needs the importer's confirmation: without it, nothing is saved.
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.waitForLoadState();
      await expect(
        page
          .getByRole('alert')
          .getByRole('link', { name: 'Confirm that you want to import recommendations that are already overdue' })
          .count(),
      ).resolves.toBe(1);
      await checkPage(page, `import-3b-confirm-overdue-${suffix}`);
      expect(await inspectionTitled(title)).toEqual([]);
      await page.getByLabel('I understand these will be overdue as soon as they are imported').check();
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.waitForLoadState();
      expect(new URL(page.url()).pathname).toMatch(/^\/inspections\/[0-9a-f-]{36}$/);
      await expect(page.getByText('Imported 3 recommendations').count()).resolves.toBe(1);
      await checkPage(page, `import-4-imported-${suffix}`);
      const [created] = await inspectionTitled(title);
      const full = (await api.adminApi.get(`/inspections/${created.id}`)).body;
      expect(full.recommendations.map((r: Recommendation) => [r.reference, r.area])).toEqual([
        ['1', 'Managing offenders'],
        ['2', 'Custody'],
        ['3', null],
      ]);
    },
  );

  it('shows the dashboard with charts and tables; a figure opens its list; the list downloads as CSV that re-reads', async () => {
    const page = await signedIn(world.manager);
    await page.goto('/dashboard');
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 }).count()).resolves.toBe(1);
    await expect(page.locator('svg.app-chart').count()).resolves.toBe(3);
    await checkPage(page, 'dashboard-1');

    const overdueNow = (await api.adminApi.get(`/recommendations?overdue=true&limit=500`)).body.items.length;
    await page
      .getByRole('link', { name: /overdue, .*Merseyside/ })
      .first()
      .click();
    await page.waitForLoadState();
    await checkPage(page, 'dashboard-2-list');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const file = await (await download).path();
    const rows = parse<Record<string, string>>(readFileSync(file, 'utf8'), { bom: true, columns: true });
    const forceOverdue = (
      await api.adminApi.get(`/recommendations?overdue=true&organisationId=${world.force.id}&limit=500`)
    ).body.items;
    expect(rows.map((r) => r.id).sort()).toEqual(forceOverdue.map((r: Recommendation) => r.id).sort());
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(overdueNow);
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['reference', 'text', 'area', 'status', 'due date']));
  });

  it('subscribes to the calendar feed; a moved deadline keeps its UID with the new date; a replaced link answers 404', async () => {
    const page = await signedIn(world.liaison);
    await page.goto('/account/calendar');
    await checkPage(page, 'calendar-1-none');
    await page.getByRole('button', { name: 'Make a calendar link' }).click();
    await page.waitForLoadState();
    await checkPage(page, 'calendar-2-made');
    const url = (await page.locator('a.app-calendar-link__url').textContent())!.trim();
    const feedPath = new URL(url).pathname;
    const recId = world.recs['1'];
    const uid = `UID:due_date-${recId}@followup-tracker`;
    const eventOf = (ics: string) => ics.split('BEGIN:VEVENT').find((e) => e.includes(uid)) ?? '';
    const first = await fetch(`${api.baseUrl}${feedPath}`);
    expect(first.status).toBe(200);
    const before = eventOf(await first.text());
    expect(before).toContain('DTSTART;VALUE=DATE:20190228');

    const inspection = (await api.adminApi.get(`/inspections/${world.inspection.id}`)).body;
    const moved = await world.lead.api.patch(`/inspections/${world.inspection.id}`, {
      version: inspection.version,
      revisitDueAt: '2019-09-30T23:00:00Z',
    });
    expect(moved.status).toBe(200);
    const after = eventOf(await (await fetch(`${api.baseUrl}${feedPath}`)).text());
    expect(after).toContain(uid);
    expect(after).toContain('DTSTART;VALUE=DATE:20191001');

    await page.getByRole('button', { name: 'Replace calendar link' }).click();
    await page.waitForLoadState();
    await checkPage(page, 'calendar-3-replaced');
    const replaced = (await page.locator('a.app-calendar-link__url').textContent())!.trim();
    expect(replaced).not.toBe(url);
    expect((await fetch(`${api.baseUrl}${feedPath}`)).status).toBe(404);
    expect((await fetch(`${api.baseUrl}${new URL(replaced).pathname}`)).status).toBe(200);
  });

  it('opens the public register signed out, a force, and its open data', async () => {
    const page = await (await newContext(browser, api.baseUrl)).newPage();
    await page.goto('/register');
    expect(new URL(page.url()).pathname).toBe('/register');
    await checkPage(page, 'register-1-forces');
    await page.getByRole('link', { name: world.force.name }).click();
    await page.waitForLoadState();
    await checkPage(page, 'register-2-force');
    await expect(page.getByRole('heading', { name: 'Merseyside NCPI 2018', level: 2 }).count()).resolves.toBe(1);
    await expect(
      page.locator(`#rec-${world.recs['1']}`).getByRole('heading', { name: 'Recommendation 1', exact: true }).count(),
    ).resolves.toBe(1);
    await expect(page.getByText('Sign out').count()).resolves.toBe(0);
    const json = await page.request.get(
      new URL(
        (await page.getByRole('link', { name: 'download as JSON' }).getAttribute('href')) as string,
        api.baseUrl,
      ).toString(),
    );
    expect(json.status()).toBe(200);
    expect((await json.json()).organisation.name).toBe(world.force.name);
  });

  it('follows a superseded link to the recommendation that replaces it, and back', async () => {
    const later = await api.createInspection(world.lead.token, {
      organisationId: world.force.id,
      leadInspectorId: world.lead.id,
      title: 'Merseyside post-inspection review 2019',
      publishedAt: '2019-08-01T00:00:00Z',
      recommendations: [{ reference: 'R1', text: 'Children detained in custody: still requires improvement.' }],
    });
    const old = (await api.adminApi.get(`/recommendations/${world.recs['4']}`)).body;
    const closed = await world.lead.api.post(`/recommendations/${old.id}/transitions`, {
      action: 'close',
      version: old.version,
      outcome: 'superseded',
      comment: 'Carried into the 2019 review',
      supersededById: later.recommendations[0].id,
    });
    expect(closed.status).toBe(200);

    const page = await signedIn(world.liaison);
    await page.goto(`/recommendations/${old.id}`);
    await checkPage(page, 'lineage-1-superseded');
    await page.getByRole('link', { name: 'The recommendation that replaces it' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe(`/recommendations/${later.recommendations[0].id}`);
    await checkPage(page, 'lineage-2-replacement');
    await page.getByRole('link', { name: 'The earlier recommendation it replaces' }).click();
    await page.waitForLoadState();
    expect(new URL(page.url()).pathname).toBe(`/recommendations/${old.id}`);
  });

  it('prints the readiness pack: a PDF with a page per recommendation', async () => {
    const page = await signedIn(world.lead);
    await page.goto(`/inspections/${world.inspection.id}/readiness`);
    await expect(page.getByRole('heading', { name: /^Recommendation \d/, level: 2 }).count()).resolves.toBe(4);
    await checkPage(page, 'readiness-1');
    mkdirSync(OUTPUT, { recursive: true });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({
      path: path.join(OUTPUT, 'readiness-pack.pdf'),
      format: 'A4',
      printBackground: true,
      margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
    });
    // A cover page, then one page (at least) per recommendation.
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(5);
    writeFileSync(path.join(OUTPUT, 'readiness-pack.pages.txt'), `${pages}\n`);
    const csv = await page.request.get(`/inspections/${world.inspection.id}/readiness.csv`);
    expect(csv.status()).toBe(200);
    const rows = parse<Record<string, string>>(await csv.text(), { bom: true, columns: true });
    expect(rows.map((r) => r.reference).sort()).toEqual(['1', '2', '3', '4']);
  });
});
