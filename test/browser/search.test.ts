// Search: the header's search box finds recommendations and inspections by reference, words, owner, force or
// inspection, within what the person may see.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { agreedPlan, TEST_PASSWORD, type RunningApi, type InspectionDetail } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, newContext, signIn, startApiAndBrowser } from '../support/browser.js';
import { createWebWorld, type WebWorld } from '../support/web-world.js';

describe('search (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld, otherInspection: InspectionDetail, custody: InspectionDetail;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    world = await createWebWorld(api, ['1', '2']);
    // 25 custody recommendations in the first force: more than a page of 20.
    custody = await api.createInspection(world.lead.token, {
      organisationId: world.force.id,
      leadInspectorId: world.lead.id,
      title: 'Custody suites inspection 2025',
      programme: 'Custody',
      publishedAt: '2025-01-10T12:00:00Z',
      recommendations: Array.from({ length: 25 }, (_, i) => ({
        reference: `C${i + 1}`,
        text: `Detainees in custody should see a nurse within the hour (${i + 1}).`,
      })),
    });
    otherInspection = await api.createInspection(world.lead.token, {
      organisationId: world.otherForce.id,
      leadInspectorId: world.lead.id,
      title: 'Other force custody review',
      programme: 'Custody',
      publishedAt: '2025-01-10T12:00:00Z',
      recommendations: [{ reference: 'X1', text: 'Custody records of the other force must be complete.' }],
    });
    const rec = (await api.adminApi.get(`/recommendations/${world.recs['2']}`)).body;
    const planned = await world.liaison.api.post(
      `/recommendations/${rec.id}/transitions`,
      agreedPlan(rec.version, { owner: 'Detective Superintendent Okafor' }),
    );
    expect(planned.status).toBe(200);
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  async function pageFor(email: string, width = 1280): Promise<Page> {
    const context = await newContext(browser, api.baseUrl);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await signIn(page, email, TEST_PASSWORD);
    return page;
  }

  async function searchFromHeader(page: Page, words: string): Promise<void> {
    await page.getByLabel('Search', { exact: true }).fill(words);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForLoadState();
  }

  const found = (page: Page) =>
    page
      .locator('.app-search-results a')
      .evaluateAll((as) => as.map((a) => (a.firstChild?.textContent ?? '').replace('Recommendation', '').trim()));

  it("is in the header of every signed-in page, and finds by words of the text, page by page, within the person's force", async () => {
    const page = await pageFor(world.liaison.email, 390);
    for (const path of ['/', '/inspections', `/recommendations/${world.recs['1']}`, '/account']) {
      await page.goto(path);
      await expect(page.getByLabel('Search', { exact: true }).count()).resolves.toBe(1);
      await expect(page.getByRole('button', { name: 'Search', exact: true }).count()).resolves.toBe(1);
    }
    await searchFromHeader(page, 'custody nurse');
    expect(new URL(page.url()).pathname).toBe('/search');
    expect(new URL(page.url()).searchParams.get('q')).toBe('custody nurse');
    const first = await found(page);
    expect(first).toEqual(Array.from({ length: 20 }, (_, i) => `C${i + 1}`));
    // One force: no force filter to choose from.
    await expect(page.getByLabel('Force', { exact: true }).count()).resolves.toBe(0);
    await checkPage(page, 'search-liaison-phone-390');
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForLoadState();
    expect(await found(page)).toEqual(['C21', 'C22', 'C23', 'C24', 'C25']);
    await checkPage(page, 'search-liaison-page-2');
    // The other force's custody recommendation and inspection never appear.
    await page.goto('/search?q=custody');
    const html = await page.content();
    expect(html).not.toContain('X1');
    expect(html).not.toContain(otherInspection.id);
    expect(html).not.toContain('Other force custody review');
    await page.context().close();
  });

  it('finds by reference, owner, force and inspection; a person who sees every force may filter by one', async () => {
    const page = await pageFor(world.admin.email);
    await searchFromHeader(page, 'C7');
    expect(await found(page)).toEqual(['C7']);
    await searchFromHeader(page, 'Okafor');
    expect(await found(page)).toEqual(['2']);
    await searchFromHeader(page, world.otherForce.name);
    expect(await found(page)).toEqual(['X1']);
    await expect(page.locator(`a[href="/inspections/${otherInspection.id}"]`).count()).resolves.toBe(1);
    await searchFromHeader(page, 'Custody suites inspection');
    await expect(page.locator(`a[href="/inspections/${custody.id}"]`).count()).resolves.toBe(1);
    await searchFromHeader(page, 'custody');
    expect((await found(page)).length).toBe(20);
    await page.getByLabel('Force', { exact: true }).selectOption({ label: world.otherForce.name });
    await page.getByRole('button', { name: 'Search again' }).click();
    await page.waitForLoadState();
    expect(await found(page)).toEqual(['X1']);
    await checkPage(page, 'search-admin-force-filter');
    await searchFromHeader(page, 'zebra crossing');
    await expect(page.getByRole('status').textContent()).resolves.toContain('No recommendations found');
    await page.context().close();
  });
});
