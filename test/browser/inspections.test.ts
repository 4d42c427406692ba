// Inspection pages in a real browser: the list, one inspection, changing its dates (PATCH) and both CSV downloads; the
// JSON stays the API's.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { RunningApi, TestUser, Schema } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser } from '../support/browser.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';
import { signedInPage } from './page-helpers.js';
import type { PageElement } from '../support/page-globals.js';

describe('inspection pages (browser)', () => {
  let api: RunningApi;
  let browser: Browser;
  let world: WebWorld;

  beforeAll(async () => {
    ({ api, browser, world } = await startWebWorld(['1', '2']));
    await api.createInspection(world.lead.token, {
      organisationId: world.force.id,
      leadInspectorId: world.lead.id,
      title: 'Formula check',
      recommendations: [{ reference: '=1+1', text: '@SUM(A1:A9) is not a formula here' }],
    });
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  const signedIn = (user: TestUser): Promise<Page> => signedInPage(browser, api.baseUrl, user);

  it('lists the inspections in scope and shows one with every recommendation', async () => {
    const page = await signedIn(world.liaison);
    await page.goto('/inspections');
    await expect(page.title()).resolves.toBe('Inspections – Follow-up Tracker');
    await checkPage(page, 'inspections-liaison');
    await expect(page.locator('main tbody a').allTextContents()).resolves.toEqual([
      'Formula check',
      'Merseyside NCPI 2018',
    ]);
    await page.getByRole('link', { name: 'Merseyside NCPI 2018' }).click();
    await expect(page.title()).resolves.toBe('Merseyside NCPI 2018 – Follow-up Tracker');
    await checkPage(page, 'inspection-liaison');
    const rows = await page
      .locator('main tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll('td')].map((td, i) =>
            (i === 0 ? td.querySelector('a')! : td).textContent!.replace(/\s+/g, ' ').trim(),
          ),
        ),
      );
    expect(rows.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ['Recommendation 1', 'Issued – overdue', 'Not rated', '28 February 2019'],
      ['Recommendation 2', 'Issued – overdue', 'Not rated', '28 February 2019'],
    ]);
    expect(rows[0][5]).toMatch(/^[\d,]+ days overdue$/);
    // Only the lead inspector and admins change dates.
    await expect(page.getByRole('link', { name: /Change dates/ }).count()).resolves.toBe(0);
    expect((await page.goto(`/inspections/${world.inspection.id}/dates`))?.status()).toBe(403);
    await checkPage(page, 'inspection-dates-forbidden');
    const otherForce = await signedIn(world.otherLiaison);
    await otherForce.goto('/inspections');
    await expect(otherForce.getByText('There are no inspections to show.').count()).resolves.toBe(1);
  });

  it('lets the lead inspector change the revisit date and shows what was recomputed', async () => {
    const page = await signedIn(world.lead);
    await page.goto(`/inspections/${world.inspection.id}`);
    await page.getByRole('link', { name: /Change dates/ }).click();
    await expect(page.title()).resolves.toBe('Change dates – Merseyside NCPI 2018 – Follow-up Tracker');
    await checkPage(page, 'inspection-dates');
    const revisit = page.getByRole('group', { name: 'Revisit date' });
    await revisit.getByLabel('Day').fill('30');
    await revisit.getByLabel('Month').fill('8');
    await revisit.getByLabel('Year').fill('2019');
    await page.getByRole('button', { name: 'Save dates' }).click();
    await page.waitForURL(new RegExp(`/inspections/${world.inspection.id}$`));
    const banner = await page.locator('.govuk-notification-banner').textContent();
    expect(banner).toContain('Revisit date: 28 February 2019 → 30 August 2019');
    expect(banner).toContain('Recommendation 1 due date: 28 February 2019 → 30 August 2019');
    await checkPage(page, 'inspection-dates-changed');
    const after = (await api.adminApi.get(`/inspections/${world.inspection.id}`)).body;
    expect([after.revisitDueAt, after.actionPlanDueAt, after.version]).toEqual([
      '2019-08-29T23:00:00.000Z',
      world.inspection.actionPlanDueAt,
      world.inspection.version + 1,
    ]);

    // A stale form is refused and shows the current dates.
    const stale = await signedIn(world.admin);
    await stale.goto(`/inspections/${world.inspection.id}/dates`);
    await stale
      .locator('input[name=version]')
      .evaluate((input: PageElement, v) => (input.value = v), String(world.inspection.version));
    await stale.getByRole('button', { name: 'Save dates' }).click();
    await stale.waitForLoadState();
    await expect(stale.getByRole('alert').textContent()).resolves.toContain('Someone else changed this inspection');
    await checkPage(stale, 'inspection-dates-stale');
    // A date that does not exist names its field.
    await stale.getByRole('group', { name: 'Published date' }).getByLabel('Day').fill('31');
    await stale.getByRole('group', { name: 'Published date' }).getByLabel('Month').fill('2');
    await stale.getByRole('button', { name: 'Save dates' }).click();
    await stale.waitForLoadState();
    await expect(stale.getByRole('alert').getByRole('link').allTextContents()).resolves.toEqual([
      'Published date must be a real date',
    ]);
    expect((await api.adminApi.get(`/inspections/${world.inspection.id}`)).body.version).toBe(
      world.inspection.version + 1,
    );
  });

  it('downloads the same rows as CSV, with formula-like cells neutralised', async () => {
    const page = await signedIn(world.liaison);
    await page.goto('/inspections');
    const asBrowser = { headers: { accept: 'text/html,*/*;q=0.8' } };
    const listCsv = await page.request.get(
      (await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')) as string,
      asBrowser,
    );
    expect(listCsv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const listLines = (await listCsv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(listLines).toHaveLength(3);
    expect(listLines[0]).toBe(
      'Title,Force,Programme,Published,Action plan due,Revisit due,Lead inspector,Open recommendations,Overdue recommendations,Draft',
    );

    const formula = (await api.adminApi.get('/inspections')).body.items.find(
      (i: Schema<'InspectionResponse'>) => i.title === 'Formula check',
    );
    await page.goto(`/inspections/${formula.id}`);
    const csv = await (
      await page.request.get(
        (await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')) as string,
        asBrowser,
      )
    ).text();
    expect(csv.trim().split('\n')[1]).toMatch(/^'=1\+1,'@SUM\(A1:A9\) is not a formula here,Issued – overdue,/);
  });

  it('gives API clients the contract JSON on the shared paths, byte for byte', async () => {
    const id = world.recs['1'];
    for (const path of [`/recommendations/${id}`, `/inspections/${world.inspection.id}`, '/inspections']) {
      const viaToken = await fetch(`${api.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${world.admin.token}`, accept: 'text/html' },
      });
      const viaJson = await fetch(`${api.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${world.admin.token}`, accept: 'application/json' },
      });
      const plain = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${world.admin.token}` } });
      expect([viaToken.status, viaJson.status, plain.status]).toEqual([200, 200, 200]);
      expect(viaToken.headers.get('content-type')).toMatch(/^application\/json/);
      const [a, b, c] = await Promise.all([viaToken.text(), viaJson.text(), plain.text()]);
      expect([a === b, b === c]).toEqual([true, true]);
    }
    // A path only the pages have is still the API's JSON 404 for an API client.
    const pageOnly = await world.admin.api.get(`/inspections/${world.inspection.id}/dates`);
    expect([pageOnly.status, pageOnly.body.message]).toEqual([
      404,
      `Cannot GET /inspections/${world.inspection.id}/dates`,
    ]);
    // Without a token, JSON clients still get the API's 401, and browsers a redirect to sign in.
    const api401 = await fetch(`${api.baseUrl}/recommendations/${id}`, { headers: { accept: 'application/json' } });
    expect(api401.status).toBe(401);
    const browser303 = await fetch(`${api.baseUrl}/recommendations/${id}`, {
      headers: { accept: 'text/html,*/*;q=0.8' },
      redirect: 'manual',
    });
    expect([browser303.status, browser303.headers.get('location')]).toEqual([
      303,
      `/sign-in?returnTo=${encodeURIComponent(`/recommendations/${id}`)}`,
    ]);
  });
});
