// "My work" for each role in a real browser: the lists issue 8 names, with axe and a screenshot of each.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { daysFromNow, type RunningApi, type TestUser } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser } from '../support/browser.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';
import { signedInPage } from './page-helpers.js';

describe('My work (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld, soonId: string;

  beforeAll(async () => {
    ({ api, browser, world } = await startWebWorld(['1', '2', '3']));
    // A recent inspection: its action plan falls due within the next 14 days, its revisit lies ahead.
    const recent = await api.createInspection(world.lead.token, {
      organisationId: world.force.id,
      leadInspectorId: world.lead.id,
      title: 'Merseyside PEEL 2026',
      publishedAt: daysFromNow(-35),
      recommendations: [{ reference: 'A1', text: 'Publish the force’s plan for offender management.' }],
    });
    soonId = recent.recommendations[0].id;
    // Recommendation 2: closure proposed (waiting for the lead inspector); recommendation 3: returned to the force.
    const liaisonApi = world.liaison.api;
    for (const ref of ['2', '3']) {
      const id = world.recs[ref];
      let rec = (await liaisonApi.post(`/recommendations/${id}/transitions`, { action: 'submit_plan', version: 1, response: 'agreed', owner: 'Chief Inspector', actions: 'Audit', targetDate: '2027-01-31' })).body;
      rec = (await liaisonApi.post(`/recommendations/${id}/transitions`, { action: 'propose_closure', version: rec.version, evidence: [{ title: 'Audit report' }] })).body;
      expect(rec.status).toBe('closure_proposed');
      if (ref === '3') {
        rec = (await world.lead.api.post(`/recommendations/${id}/transitions`, { action: 'return', version: rec.version, comment: 'The audit covers one district only' })).body;
        expect(rec.status).toBe('planned');
      }
    }
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  async function myWork(user: TestUser, name: string): Promise<Page> {
    const page = await signedInPage(browser, api.baseUrl, user);
    await expect(page.title()).resolves.toBe('My work – Follow-up Tracker');
    await checkPage(page, `my-work-${name}`);
    return page;
  }

  /** The recommendation links listed under a section heading. */
  const linksUnder = (page: Page, sectionId: string) => page.locator(`#${sectionId} a`).allTextContents();

  it("shows liaison staff what needs action now, what falls due soon and what was returned", async () => {
    const page = await myWork(world.liaison, 'liaison');
    await expect(linksUnder(page, 'overdue')).resolves.toEqual(['Recommendation 1', 'Recommendation 3']);
    await expect(linksUnder(page, 'due-soon')).resolves.toEqual(['Recommendation A1']);
    await expect(linksUnder(page, 'returned')).resolves.toEqual(['Recommendation 3']);
    await expect(page.locator('#due-soon').getAttribute('aria-labelledby')).resolves.toBe('due-soon-heading');
    await page.getByRole('link', { name: 'Recommendation A1' }).click();
    expect(new URL(page.url()).pathname).toBe(`/recommendations/${soonId}`);
  });

  it('shows the lead inspector the evidence waiting for review, revisits coming up and what is overdue', async () => {
    const page = await myWork(world.lead, 'inspector');
    await expect(linksUnder(page, 'review')).resolves.toEqual(['Recommendation 2']);
    await expect(linksUnder(page, 'overdue')).resolves.toEqual(['Recommendation 1', 'Recommendation 3']);
    await expect(page.getByRole('link', { name: 'Merseyside PEEL 2026' }).count()).resolves.toBe(1);
    // Another inspector leads nothing here.
    const other = await myWork(world.otherInspector, 'other-inspector');
    await expect(other.getByText('No evidence is waiting for your review.').count()).resolves.toBe(1);
  });

  it('shows managers and admins the overdue count per force and the oldest items', async () => {
    for (const [user, name] of [[world.manager, 'manager'], [world.admin, 'admin']] as const) {
      const page = await myWork(user, name);
      const byForce = page.getByRole('table', { name: 'Overdue by force' });
      await expect(byForce.locator('tbody td').allTextContents()).resolves.toEqual([world.force.name, '2']);
      await expect(linksUnder(page, 'oldest')).resolves.toEqual(['Recommendation 1', 'Recommendation 3']);
    }
  });

  it('shows another force nothing of this one', async () => {
    const page = await myWork(world.otherLiaison, 'other-liaison');
    await expect(page.getByText('Nothing is overdue.').count()).resolves.toBe(1);
    await expect(page.locator('main a[href^="/recommendations/"]').count()).resolves.toBe(0);
  });
});
