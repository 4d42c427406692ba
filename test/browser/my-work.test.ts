// "My work" for each role in a real browser at 1280 and 390 pixels: the complete to-do list, the same counts as GET
// /work, what changed since the last visit; axe and a screenshot of each.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { daysFromNow, type RunningApi, type TestUser, type Schema } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser } from '../support/browser.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';
import { signedInPage } from './page-helpers.js';

const WIDTHS = [1280, 390] as const;

describe('My work (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld, soonId: string;

  beforeAll(async () => {
    ({ api, browser, world } = await startWebWorld(['1', '2', '3', '4']));
    // A recent inspection: its action plan falls due within weeks, its revisit lies ahead.
    const recent = await api.createInspection(world.lead.token, {
      organisationId: world.force.id,
      leadInspectorId: world.lead.id,
      title: 'Merseyside PEEL 2026',
      publishedAt: daysFromNow(-35),
      recommendations: [{ reference: 'A1', text: 'Publish the force’s plan for offender management.' }],
    });
    soonId = recent.recommendations[0].id;
    // 1: a plan to submit (overdue); 2: closure proposed (waits on the lead inspector); 3: returned to the force; 4:
    // planned.
    const liaisonApi = world.liaison.api;
    for (const ref of ['2', '3', '4']) {
      const id = world.recs[ref];
      let rec = (
        await liaisonApi.post(`/recommendations/${id}/transitions`, {
          action: 'submit_plan',
          version: 1,
          response: 'agreed',
          owner: 'Chief Inspector',
          actions: 'Audit',
          targetDate: '2027-01-31',
        })
      ).body;
      if (ref === '4') continue;
      rec = (
        await liaisonApi.post(`/recommendations/${id}/transitions`, {
          action: 'propose_closure',
          version: rec.version,
          evidence: [{ title: 'Audit report' }],
        })
      ).body;
      expect(rec.status).toBe('closure_proposed');
      if (ref === '3') {
        rec = (
          await world.lead.api.post(`/recommendations/${id}/transitions`, {
            action: 'return',
            version: rec.version,
            comment: 'The audit covers one district only',
          })
        ).body;
        expect(rec.status).toBe('planned');
      }
    }
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  async function myWork(user: TestUser, name: string): Promise<Page> {
    const page = await signedInPage(browser, api.baseUrl, user);
    await expect(page.title()).resolves.toBe('My work – Follow-up Tracker');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await checkPage(page, `my-work-${name}-${width}`);
      // Nothing scrolls the page sideways.
      await expect(page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).resolves.toBe(true);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    return page;
  }

  /** The recommendation links listed in a section. */
  const linksUnder = (page: Page, sectionId: string) => page.locator(`#${sectionId} h3 a`).allTextContents();

  /** The page's count of each group and its total agree with GET /work, and every counted item is listed. */
  async function expectSameAsApi(page: Page, user: TestUser): Promise<void> {
    const counts = (await user.api.get('/work')).body;
    await expect(page.locator('#work-total').getAttribute('data-total')).resolves.toBe(String(counts.total));
    for (const group of counts.groups) {
      await expect(page.locator(`#${group.id}`).getAttribute('data-count')).resolves.toBe(String(group.count));
      await expect(page.locator(`#${group.id} .app-to-do__item`).count()).resolves.toBe(group.count);
    }
  }

  it('lists everything waiting on the liaison officer, grouped by what to do, whatever the deadline, as GET /work counts it', async () => {
    const page = await myWork(world.liaison, 'liaison');
    await expectSameAsApi(page, world.liaison);
    await expect(linksUnder(page, 'returned')).resolves.toEqual(['Recommendation 3']);
    await expect(linksUnder(page, 'plan')).resolves.toEqual(['Recommendation 1', 'Recommendation A1']);
    await expect(linksUnder(page, 'progress')).resolves.toEqual(['Recommendation 4']);
    // Closure proposed waits on the inspector, not the force.
    await expect(page.locator('.app-to-do').getByText('Recommendation 2', { exact: true }).count()).resolves.toBe(0);
    const returned = page.locator('#returned .app-to-do__item');
    await expect(returned.innerText()).resolves.toContain('Reason: The audit covers one district only');
    await expect(returned.innerText()).resolves.toMatch(/Due date:\s*\d{1,2} \w+ \d{4}/);
    await expect(returned.innerText()).resolves.toMatch(/Returned:\s*\d{1,2} \w+ \d{4} \(today\)/);
    const plan = page.locator('#plan .app-to-do__item').first();
    await expect(plan.innerText()).resolves.toMatch(/Action plan due:\s*\d{1,2} \w+ \d{4}/);
    await expect(plan.innerText()).resolves.toMatch(/\d+ days overdue/);
    // What the lead inspector did since the liaison officer's last sign-in (the API login that made them).
    const changes = page.locator('#changes');
    await expect(changes.innerText()).resolves.toContain(
      'Recommendation 3: Closure returned to the force by Ines Inspector',
    );
    await expect(changes.innerText()).resolves.toContain('The audit covers one district only');
    await page.locator('#plan').getByRole('link', { name: 'Recommendation A1' }).click();
    expect(new URL(page.url()).pathname).toBe(`/recommendations/${soonId}`);
  });

  it('shows the lead inspector the evidence waiting for review, submitted when and by whom, and their inspections’ next deadlines', async () => {
    const page = await myWork(world.lead, 'inspector');
    await expectSameAsApi(page, world.lead);
    await expect(linksUnder(page, 'review')).resolves.toEqual(['Recommendation 2']);
    const review = page.locator('#review .app-to-do__item');
    await expect(review.innerText()).resolves.toContain('Proposed by Lena Liaison');
    await expect(review.innerText()).resolves.toMatch(/Submitted:\s*\d{1,2} \w+ \d{4}/);
    await expect(page.locator('#inspections a').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Merseyside PEEL 2026', 'Merseyside NCPI 2018']),
    );
    await expect(page.locator('#inspections').innerText()).resolves.toMatch(/Action plan due: \d{1,2} \w+ \d{4}/);
    await expect(page.locator('#changes').innerText()).resolves.toContain(
      'Recommendation 2: Closure proposed with new evidence by Lena Liaison',
    );
    // A first target date, given with the plan, is not a moved date.
    await expect(page.locator('#changes').innerText()).resolves.toContain(
      'Recommendation 4: Action plan submitted by Lena Liaison',
    );
    // Another inspector leads nothing here.
    const other = await myWork(world.otherInspector, 'other-inspector');
    await expect(other.getByText('No evidence is waiting for your review.').count()).resolves.toBe(1);
    await expectSameAsApi(other, world.otherInspector);
  });

  it('gives managers and admins per-force counts that link to the filtered overdue list, as GET /work counts them', async () => {
    for (const [user, name] of [
      [world.manager, 'manager'],
      [world.admin, 'admin'],
    ] as const) {
      const page = await myWork(user, name);
      const counts = (await user.api.get('/work')).body;
      const overdue = counts.groups.find((g: Schema<'WorkGroupCount'>) => g.id === 'overdue').count;
      await expect(page.locator('#work-total').getAttribute('data-total')).resolves.toBe(String(overdue));
      const row = page.locator('#forces tbody tr', { hasText: world.force.name });
      // 1 (plan), 3 (returned, due date of 2018 long past), 4 (planned, past due) and... the recent one is not overdue.
      const link = row.locator('td').first().locator('a');
      const shown = Number((await link.innerText()).replace(/\D+.*/s, ''));
      expect(shown).toBe(overdue);
      await link.click();
      expect(new URL(page.url()).pathname).toBe('/overdue');
      expect(new URL(page.url()).searchParams.get('force')).toBe(world.force.id);
      await expect(page.locator('main table tbody tr').count()).resolves.toBe(overdue);
    }
  });

  it('shows another force nothing of this one', async () => {
    const page = await myWork(world.otherLiaison, 'other-liaison');
    await expect(page.getByText('Nothing is waiting for you.').count()).resolves.toBe(1);
    await expect(page.locator('main a[href^="/recommendations/"]').count()).resolves.toBe(0);
    await expectSameAsApi(page, world.otherLiaison);
  });
});
