// Force names: headings (and a caption with its heading) name the force once, on every page that shows an inspection's
// title.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { RunningApi, TestUser, InspectionDetail } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, newContext, startApiAndBrowser } from '../support/browser.js';
import { signedInPage } from './page-helpers.js';
import type { PageGlobals } from '../support/page-globals.js';

describe('headings name the force once (browser)', () => {
  let api: RunningApi, browser: Browser, lead: TestUser, liaison: TestUser;
  let force: { id: string; name: string; code: string }, core: string, inspection: InspectionDetail;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    // A force name no other test uses, so every occurrence on a page is this force's.
    core = `Wessex${Math.random().toString(36).slice(2, 7).replace(/\d/g, 'x')}`;
    force = await api.createOrganisation({ name: `${core} Police` });
    [lead, liaison] = await Promise.all([api.createUser('inspector'), api.createUser('liaison', [force.id])]);
    inspection = await api.createInspection(lead.token, {
      organisationId: force.id,
      leadInspectorId: lead.id,
      title: `${core} Police: National Child Protection Inspection 2018`,
      programme: 'NCPI',
      publishedAt: '2018-08-30T12:00:00Z',
      recommendations: [{ reference: '1', text: 'Visit every registered sex offender on time.' }],
    });
  }, 60_000);

  afterAll(() => closeApiAndBrowser(api, browser));

  const times = (text: string): number => text.split(new RegExp(core, 'i')).length - 1;

  /** Each h1 with the caption above it, and each h2, as read out: each names the force at most once. */
  async function headings(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const doc = (globalThis as unknown as PageGlobals).document;
      const read: string[] = [];
      for (const h of doc.querySelectorAll('main h1, main h2')) {
        const caption = h.previousElementSibling?.matches('.govuk-caption-xl, .govuk-caption-l, .govuk-caption-m')
          ? h.previousElementSibling.textContent
          : '';
        read.push(`${caption.trim()} | ${h.textContent.trim()}`.replace(/\s+/g, ' '));
      }
      return read;
    });
  }

  async function expectForceOnce(page: Page, path: string, name: string): Promise<string[]> {
    await page.goto(path);
    const read = await headings(page);
    expect({ path, repeated: read.filter((h) => times(h) > 1) }).toEqual({ path, repeated: [] });
    await checkPage(page, name);
    return read;
  }

  it('inspection, recommendation, readiness pack and My work pages', async () => {
    const page = await signedInPage(browser, api.baseUrl, lead);
    const onInspection = await expectForceOnce(page, `/inspections/${inspection.id}`, 'force-once-inspection');
    // The title itself still names the force: the heading is not emptied of it.
    expect(onInspection.some((h) => times(h) === 1)).toBe(true);
    await expectForceOnce(page, `/recommendations/${inspection.recommendations[0].id}`, 'force-once-recommendation');
    await expectForceOnce(page, `/inspections/${inspection.id}/readiness`, 'force-once-readiness');
    await expectForceOnce(page, '/', 'force-once-my-work-inspector');
    const inspectionsMine = await page
      .locator('#inspections li', { hasText: 'National Child Protection Inspection 2018' })
      .innerText();
    expect(times(inspectionsMine)).toBe(1);
    const liaisonPage = await signedInPage(browser, api.baseUrl, liaison);
    await expectForceOnce(liaisonPage, '/', 'force-once-my-work-liaison');
    const facts = await liaisonPage
      .locator('dl.app-facts > div', { hasText: 'Force and inspection' })
      .first()
      .innerText();
    expect(facts).toContain(`${core} Police, National Child Protection Inspection 2018`);
  });

  it('fits 390, 768 and 1280 pixels: the inspection page and the register, with the service frame', async () => {
    const page = await signedInPage(browser, api.baseUrl, lead);
    const anonymous = await (await newContext(browser, api.baseUrl)).newPage();
    for (const width of [390, 768, 1280]) {
      for (const [p, path, name] of [
        [page, `/inspections/${inspection.id}`, 'inspection'],
        [anonymous, `/register/${force.code}`, 'register'],
      ] as const) {
        await p.setViewportSize({ width, height: 900 });
        await p.goto(path);
        const fits = await p.evaluate(
          () =>
            (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth <=
            (globalThis as unknown as PageGlobals).innerWidth,
        );
        expect({ width, path, fits }).toEqual({ width, path, fits: true });
        await checkPage(p, `force-once-${name}-${width}`);
      }
    }
  });

  it("the force's public register: the force's heading, then each inspection without the force's name again", async () => {
    const page = await (await newContext(browser, api.baseUrl)).newPage();
    const read = await expectForceOnce(page, `/register/${force.code}`, 'force-once-register');
    expect(read).toContain('Public register | ' + `${core} Police`);
    expect(read).toContain(' | National Child Protection Inspection 2018');
    const all = (await page.locator('main h1, main h2').allInnerTexts()).join('\n');
    expect(times(all)).toBe(1);
  });
});
