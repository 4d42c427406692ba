// Evidence files in a real browser, with and without JavaScript: uploading several at once, the file list, a refused
// type, withdrawing, and the propose-closure form's `Evidence files`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { RunningApi } from '../support/api-harness.js';
import { agreedPlan } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, startApiAndBrowser } from '../support/browser.js';
import { EXECUTABLE, pdf } from '../support/evidence-files.js';
import { createWebWorld, type WebWorld } from '../support/web-world.js';
import type { Page } from 'playwright-core';
import { errorSummary, signedInPage } from './page-helpers.js';
import type { PageElement } from '../support/page-globals.js';

/** The evidence files table's cells, row by row. */
const fileRows = (page: Page): Promise<string[][]> =>
  page
    .locator('#evidence-files table tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => Array.from((row as PageElement).querySelectorAll('td')).map((cell) => cell.innerText.trim())),
    );

describe('evidence files (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld;
  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser({ EVIDENCE_SCAN: 'off' }));
    world = await createWebWorld(api, ['1', '2']);
  });
  afterAll(() => closeApiAndBrowser(api, browser));

  it('uploads several files at once without JavaScript, lists them with size, type and scan result, and refuses an executable', async () => {
    const page = await signedInPage(browser, api.baseUrl, world.liaison, { javaScript: false });
    await page.goto(`/recommendations/${world.recs['1']}`);
    await page.getByLabel('Upload evidence files').setInputFiles([
      { name: 'Custody audit.pdf', mimeType: 'application/pdf', buffer: pdf('Custody audit') },
      { name: '<b>notes</b>.txt', mimeType: 'text/plain', buffer: Buffer.from('Visits are now weekly.\n') },
    ]);
    await page.getByRole('button', { name: 'Upload files' }).click();
    await page.waitForLoadState();
    await expect(page.getByText('2 files uploaded').isVisible()).resolves.toBe(true);
    const rows = await fileRows(page);
    // One upload's files share their time: listed by name.
    expect(rows.map((r) => r[0].split('\n')[0])).toEqual(['<b>notes</b>.txt', 'Custody audit.pdf']);
    expect(rows[1][1]).toMatch(/^PDF, \d+ bytes$/);
    expect(rows[0][3]).toBe('Not scanned');
    await checkPage(page, 'evidence-1-uploaded-liaison');

    await page
      .getByLabel('Upload evidence files')
      .setInputFiles([{ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: EXECUTABLE }]);
    await page.getByRole('button', { name: 'Upload files' }).click();
    await page.waitForLoadState();
    expect(await errorSummary(page)).toEqual([expect.stringMatching(/^The file "minutes\.pdf" must be a PDF/)]);
    await checkPage(page, 'evidence-2-refused-liaison');
  });

  it('shows the inspector the files with download links, and lets the uploader withdraw one', async () => {
    const inspector = await signedInPage(browser, api.baseUrl, world.lead);
    await inspector.goto(`/recommendations/${world.recs['1']}`);
    const link = inspector.locator('#evidence-files').getByRole('link', { name: 'Custody audit.pdf' });
    const download = await Promise.all([inspector.waitForEvent('download'), link.click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toBe('Custody audit.pdf');
    await expect(inspector.getByLabel('Upload evidence files').count()).resolves.toBe(0);
    await checkPage(inspector, 'evidence-3-inspector');

    const liaison = await signedInPage(browser, api.baseUrl, world.liaison);
    await liaison.goto(`/recommendations/${world.recs['1']}`);
    await liaison.getByRole('button', { name: 'Withdraw <b>notes</b>.txt' }).click();
    await liaison.waitForLoadState();
    await expect(liaison.getByRole('heading', { name: 'File withdrawn', exact: true }).isVisible()).resolves.toBe(true);
    const rows = await fileRows(liaison);
    expect(rows[0][0]).toMatch(/^<b>notes<\/b>\.txt\s+Withdrawn/);
  });

  it('proposes closure with files chosen in the form’s Evidence files input', async () => {
    const id = world.recs['2'];
    await world.liaison.api.post(`/recommendations/${id}/transitions`, agreedPlan(1));
    const page = await signedInPage(browser, api.baseUrl, world.liaison, { javaScript: false });
    await page.goto(`/recommendations/${id}`);
    const closure = page.locator('section.app-action', {
      has: page.getByRole('heading', { name: 'Propose closure', exact: true }),
    });
    await closure.getByLabel('Evidence title').fill('Audit of overdue visits');
    await closure
      .getByLabel('Evidence files')
      .setInputFiles([{ name: 'Audit.pdf', mimeType: 'application/pdf', buffer: pdf('Audit') }]);
    await closure.getByRole('button', { name: 'Propose closure' }).click();
    await page.waitForLoadState();
    const rec = (await api.adminApi.get(`/recommendations/${id}`)).body;
    expect(rec.status).toBe('closure_proposed');
    const files = (await api.adminApi.get(`/recommendations/${id}/evidence/files`)).body;
    expect(files.map((f: { name: string }) => f.name)).toEqual(['Audit.pdf']);
    expect(rec.evidence[0]).toMatchObject({ title: 'Audit of overdue visits', fileIds: [files[0].id] });
    await checkPage(page, 'evidence-4-closure-proposed');
  });
});
