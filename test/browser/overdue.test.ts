// The overdue list in a real browser: scope per role, filters (a GET form, with and without JavaScript), keyset paging,
// and the CSV download.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import {
  daysFromNow,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Organisation,
  type Recommendation,
} from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, startApiAndBrowser } from '../support/browser.js';
import { signedIn, statusOf, tableRows } from './page-helpers.js';
import type { PageElement } from '../support/page-globals.js';

const FORMULA_REFERENCE = '=SUM(1+1)';

describe('overdue list (browser)', () => {
  let api: RunningApi,
    browser: Browser,
    merseyside: Organisation,
    cheshire: Organisation,
    inspector: TestUser,
    manager: TestUser,
    liaison: TestUser;
  let oldInspection: InspectionDetail;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    merseyside = await api.createOrganisation({ name: 'Merseyside Police' });
    cheshire = await api.createOrganisation({ name: 'Cheshire Constabulary' });
    inspector = await api.createUser('inspector');
    manager = await api.createUser('manager', [merseyside.id]);
    liaison = await api.createUser('liaison', [merseyside.id]);
    const lead = { leadInspectorId: inspector.id };
    // 56 recommendations whose action plan is years overdue: more than one page of 50.
    oldInspection = await api.createInspection(api.admin.token, {
      ...lead,
      organisationId: merseyside.id,
      title: 'Merseyside NCPI 2018',
      publishedAt: '2018-08-30T00:00:00Z',
      recommendations: [
        ...Array.from({ length: 55 }, (_, i) => ({ reference: String(i + 1), priority: i < 2 })),
        { reference: FORMULA_REFERENCE },
      ],
    });
    // Published a fortnight ago: its plan is not due yet, but R1's own due date has passed.
    await api.createInspection(api.admin.token, {
      ...lead,
      organisationId: merseyside.id,
      title: 'Merseyside PEEL 2026',
      publishedAt: daysFromNow(-14),
      recommendations: [
        { reference: 'R1', dueAt: daysFromNow(-3) },
        { reference: 'R2', dueAt: daysFromNow(30) },
      ],
    });
    // About eight months ago: the plan is some six and a half months overdue.
    await api.createInspection(api.admin.token, {
      ...lead,
      organisationId: merseyside.id,
      title: 'Merseyside custody 2026',
      publishedAt: daysFromNow(-240),
      recommendations: [{ reference: 'M1' }],
    });
    await api.createInspection(api.admin.token, {
      ...lead,
      organisationId: cheshire.id,
      title: 'Cheshire NCPI 2022',
      publishedAt: '2022-01-15T00:00:00Z',
      recommendations: [{ reference: 'C1' }, { reference: 'C2' }, { reference: 'C3' }],
    });
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  /** The ids the API lists as overdue for `user`, most overdue first: the page must show the same. */
  async function apiOverdueIds(user: TestUser, query = ''): Promise<string[]> {
    const response = await user.api.get(`/recommendations?overdue=true&limit=500${query}`);
    expect(response.status).toBe(200);
    return response.body.items.map((r: Recommendation) => r.id);
  }

  const rowIds = (page: Page): Promise<string[]> =>
    page
      .locator('table.govuk-table tbody tr td:first-child a')
      .evaluateAll((links) =>
        links.map((a) => (a as PageElement).getAttribute('href')!.replace('/recommendations/', '')),
      );

  /** Every row over every page, following Next. */
  async function allPages(page: Page): Promise<string[]> {
    const ids = await rowIds(page);
    while ((await page.getByRole('link', { name: /Next/ }).count()) > 0) {
      await page.getByRole('link', { name: /Next/ }).click();
      await page.waitForLoadState();
      ids.push(...(await rowIds(page)));
    }
    return ids;
  }

  it('shows a manager the overdue recommendations of their force, most overdue first, with each row’s details', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, manager.email);
    await page.getByRole('link', { name: 'Overdue', exact: true }).click();
    await page.waitForURL(/\/overdue$/);
    await expect(page.title()).resolves.toBe('Overdue recommendations – Follow-up Tracker');
    await checkPage(page, 'overdue-manager');
    const rows = await tableRows(page);
    expect(rows).toHaveLength(50);
    expect(rows[0]).toEqual([
      expect.stringMatching(/^Recommendation \S+/),
      'Merseyside Police',
      'Issued',
      '',
      'Not rated',
      'Action plan not submitted',
      '11 October 2018',
      expect.stringMatching(/^[\d,]+$/),
    ]);
    expect(rows[0][0]).toContain('Merseyside NCPI 2018');
    const first = await manager.api.get(`/recommendations/${(await rowIds(page))[0]}`);
    expect(rows[0][7]).toBe(first.body.daysOverdue.toLocaleString('en-GB'));
    expect(rows.some((row) => row[1] !== 'Merseyside Police')).toBe(false);

    // Keyset paging: Next, then Previous, gives back the same first page; all pages hold the API's list in its order.
    const firstPage = await rowIds(page);
    await page.getByRole('link', { name: /Next/ }).click();
    await page.waitForLoadState();
    expect(page.url()).toContain('after=');
    await checkPage(page, 'overdue-manager-page-2');
    const lastRows = await tableRows(page);
    expect(lastRows).toHaveLength(8);
    expect(lastRows.at(-1)).toEqual([
      expect.stringMatching(/^Recommendation R1\b.*Merseyside PEEL 2026/s),
      'Merseyside Police',
      'Issued',
      '',
      'Not rated',
      'Past its due date',
      expect.any(String),
      '3',
    ]);
    await expect(page.getByRole('link', { name: /Next/ }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: /Previous/ }).click();
    await page.waitForLoadState();
    expect(page.url()).toContain('before=');
    await expect(rowIds(page)).resolves.toEqual(firstPage);
    await expect(page.getByRole('link', { name: /Previous/ }).count()).resolves.toBe(0);
    await page.goto('/overdue');
    await expect(allPages(page)).resolves.toEqual(await apiOverdueIds(manager));

    await page.getByRole('link', { name: 'Recommendation R1' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/recommendations\/[0-9a-f-]{36}$/);
    await context.close();
  });

  it('filters by reason, age, priority, force and inspection, and removes a filter from its tag', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, inspector.email);
    await page.goto('/overdue');
    await checkPage(page, 'overdue-inspector');
    await expect(allPages(page)).resolves.toHaveLength(61);

    await page.goto('/overdue');
    await page.getByRole('radio', { name: 'Past its due date' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/reason=due_date/);
    await checkPage(page, 'overdue-filtered-reason');
    await expect(tableRows(page)).resolves.toEqual([
      [
        expect.stringMatching(/^Recommendation R1\b.*Merseyside PEEL 2026/s),
        'Merseyside Police',
        'Issued',
        '',
        'Not rated',
        'Past its due date',
        expect.any(String),
        '3',
      ],
    ]);
    await page.getByRole('link', { name: 'Remove this filter Past its due date' }).click();
    await page.waitForURL(/\/overdue$/);

    await page.getByRole('radio', { name: '6 to 12 months' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/age=6_to_12_months/);
    await expect(tableRows(page).then((rows) => rows.map((r) => r[0]))).resolves.toEqual([
      expect.stringContaining('Recommendation M1'),
    ]);

    await page.goto('/overdue');
    await page.getByLabel('Force').selectOption({ label: 'Cheshire Constabulary' });
    await page.getByRole('radio', { name: 'Over 12 months' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/force=/);
    await expect(tableRows(page).then((rows) => rows.map((r) => `${r[1]} ${r[0]}`))).resolves.toEqual([
      expect.stringContaining('Cheshire Constabulary Recommendation C'),
      expect.stringContaining('Cheshire Constabulary Recommendation C'),
      expect.stringContaining('Cheshire Constabulary Recommendation C'),
    ]);
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL(/\/overdue$/);

    await page.getByLabel('Inspection').selectOption({ label: 'Merseyside NCPI 2018' });
    await page.getByRole('radio', { name: 'Priority only' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/priority=yes/);
    await checkPage(page, 'overdue-filtered-inspection-priority');
    const priorityRows = await tableRows(page);
    expect(priorityRows.map((r) => r[0].replace(/\s+/g, ' ')).sort()).toEqual([
      expect.stringMatching(/^Recommendation 1\b.*Priority$/),
      expect.stringMatching(/^Recommendation 2\b.*Priority$/),
    ]);
    expect(priorityRows).toHaveLength(2);
    await expect(page.getByLabel('Inspection').inputValue()).resolves.toBe(oldInspection.id);
    await context.close();
  });

  it('works without JavaScript: filters by submitting the form, pages by links', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, manager.email, { javaScript: false });
    await page.goto('/overdue');
    await checkPage(page, 'overdue-no-js');
    await page.getByRole('radio', { name: 'Action plan not submitted' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/reason=action_plan/);
    await checkPage(page, 'overdue-no-js-filtered');
    const ids = await allPages(page);
    expect(ids).toHaveLength(57);
    expect(new Set(ids).size).toBe(57);
    await context.close();
  });

  it('downloads the same rows and filters as CSV, with formula-like cells neutralised', async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, inspector.email);
    await page.goto(`/overdue?force=${merseyside.id}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^overdue-recommendations-\d{4}-\d{2}-\d{2}\.csv$/);
    const records = parse<Record<string, string>>(readFileSync(await download.path()), { bom: true, columns: true });
    expect(records).toHaveLength(58);
    expect(Object.keys(records[0])).toEqual([
      'Force',
      'Inspection',
      'Reference',
      'Recommendation',
      'Status',
      'Owner',
      'RAG',
      'Priority',
      'Reason',
      'Deadline',
      'Days overdue',
      'Link',
    ]);
    expect(records.map((r) => r.Link.replace(/^.*\/recommendations\//, ''))).toEqual(
      await apiOverdueIds(inspector, `&organisationId=${merseyside.id}`),
    );
    expect(records[0]).toMatchObject({
      Force: 'Merseyside Police',
      Inspection: 'Merseyside NCPI 2018',
      Reason: 'Action plan not submitted',
      Deadline: '2018-10-11',
    });
    expect(records.find((r) => r.Reference.includes('SUM'))?.Reference).toBe(`'${FORMULA_REFERENCE}`);

    const filtered = await page.request.get(`/overdue.csv?priority=yes&inspection=${oldInspection.id}`);
    expect(filtered.status()).toBe(200);
    expect(filtered.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const priority = parse<Record<string, string>>(await filtered.text(), { bom: true, columns: true });
    expect(priority.map((r) => [r.Reference, r.Priority]).sort()).toEqual([
      ['1', 'yes'],
      ['2', 'yes'],
    ]);
    await context.close();
  });

  it('is refused to a force liaison, shown to an administrator, and ignores a tampered cursor', async () => {
    const refused = await signedIn(browser, api.baseUrl, liaison.email);
    await expect(refused.page.getByRole('link', { name: 'Overdue', exact: true }).count()).resolves.toBe(0);
    expect(await statusOf(refused.page, '/overdue')).toBe(403);
    await checkPage(refused.page, 'overdue-refused-liaison');
    expect(await statusOf(refused.page, '/overdue.csv')).toBe(403);
    await refused.context.close();

    const admin = await signedIn(browser, api.baseUrl, api.admin.email, { password: api.admin.password });
    expect(
      await statusOf(admin.page, '/overdue?after=not-a-cursor&force=nonsense&reason=%3Cscript%3E&age=1&priority=maybe'),
    ).toBe(200);
    await checkPage(admin.page, 'overdue-admin');
    await expect(tableRows(admin.page)).resolves.toHaveLength(50);
    await admin.context.close();

    const signedOut = await fetch(`${api.baseUrl}/overdue.csv`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/sign-in?returnTo=%2Foverdue.csv');
  });
});
