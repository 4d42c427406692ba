// Draft inspections in a real browser, at 1280 and 390 pixels: an import is created as a draft (the preview says so and
// what publishing does), the force cannot open it, and its lead inspector publishes it through a confirmation page.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { RunningApi, TestUser } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser } from '../support/browser.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';
import { signedInPage, statusOf } from './page-helpers.js';
import type { PageGlobals } from '../support/page-globals.js';

const WIDTHS = [1280, 390] as const;
const CSV =
  'reference,text,timeframe\n1,Review how children detained in custody are accommodated overnight,3 months\n2,Flag child sexual exploitation consistently,6 months\n';

describe('draft inspections (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld;
  beforeAll(async () => ({ api, browser, world } = await startWebWorld(['1'])));
  afterAll(() => closeApiAndBrowser(api, browser));

  const signedIn = async (user: TestUser, width: number, options: { javaScript?: boolean } = {}): Promise<Page> => {
    const page = await signedInPage(browser, api.baseUrl, user, options);
    await page.setViewportSize({ width, height: 900 });
    return page;
  };
  const noSideways = async (page: Page) =>
    expect(
      page.evaluate(
        () =>
          (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth <=
          (globalThis as unknown as PageGlobals).innerWidth,
      ),
    ).resolves.toBe(true);
  const click = async (page: Page, button: string) => {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.waitForLoadState();
  };
  const nextYear = new Date().getUTCFullYear() + 1;

  for (const [i, width] of WIDTHS.entries()) {
    const shot = (name: string) => `drafts-${width}-${name}`;

    it(`imports a draft, which the force cannot open, and publishes it after a confirmation (${width} px, JavaScript ${i === 0 ? 'on' : 'off'})`, async () => {
      const title = `Merseyside PEEL draft ${width}`;
      const lead = await signedIn(world.lead, width, { javaScript: i === 0 });
      await lead.goto('/import');
      await lead.getByLabel('Organisation').selectOption({ label: world.force.name });
      await lead.getByLabel('Inspection title').fill(title);
      await lead.getByLabel('Programme').fill('PEEL');
      await lead.getByLabel('Day').fill('15');
      await lead.getByLabel('Month').fill('1');
      await lead.getByLabel('Year').fill(String(nextYear));
      await lead
        .getByLabel('CSV file')
        .setInputFiles({ name: 'peel.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
      await click(lead, 'Check file');
      // The preview says, above the Import button, that a draft is created and what publishing will do.
      const explained = lead.locator('#draft-explained');
      await expect(explained.innerText()).resolves.toContain('as a draft');
      await expect(explained.innerText()).resolves.toContain(
        'When you publish it from its page, the force can see it, its reminders are planned and it appears on the public register.',
      );
      expect((await explained.boundingBox())!.y).toBeLessThan(
        (await lead.getByRole('button', { name: 'Import', exact: true }).boundingBox())!.y,
      );
      await noSideways(lead);
      await checkPage(lead, shot('1-preview'));
      await click(lead, 'Import');
      expect(new URL(lead.url()).pathname).toMatch(/^\/inspections\/[0-9a-f-]{36}$/);
      const id = new URL(lead.url()).pathname.split('/')[2];
      await expect(lead.getByText('Imported 2 recommendations as a draft').count()).resolves.toBe(1);
      await expect(lead.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('Draft');
      await expect(
        lead.getByText('This inspection is a draft. Only inspectorate staff can see it').count(),
      ).resolves.toBe(1);
      await noSideways(lead);
      await checkPage(lead, shot('2-draft'));

      // Its recommendations say so too, and offer no action.
      await lead
        .getByRole('link', { name: /^Recommendation 1/ })
        .first()
        .click();
      await lead.waitForLoadState();
      await expect(
        lead.getByText('Its inspection is a draft. Only inspectorate staff can see it').count(),
      ).resolves.toBe(1);
      await expect(lead.locator('form[action$="/transitions"], section.app-action').count()).resolves.toBe(0);
      await noSideways(lead);
      await checkPage(lead, shot('2a-recommendation'));

      // My work tells its lead inspector it waits to be published.
      await lead.goto('/');
      await expect(lead.locator('#drafts').getByRole('link', { name: title }).count()).resolves.toBe(1);
      await noSideways(lead);
      await checkPage(lead, shot('2b-my-work'));
      await lead.goto(`/inspections/${id}`);

      // The force: not on its list, and its page is not there.
      const liaison = await signedIn(world.liaison, width);
      await expect(statusOf(liaison, `/inspections/${id}`)).resolves.toBe(404);
      await liaison.goto('/inspections');
      await expect(liaison.getByText(title).count()).resolves.toBe(0);
      expect((await api.adminApi.get(`/inspections/${id}`)).body.draft).toBe(true);

      // Publish: a confirmation page first; Cancel changes nothing.
      await lead.getByRole('button', { name: 'Publish', exact: true }).click();
      await lead.waitForLoadState();
      expect(new URL(lead.url()).pathname).toBe(`/inspections/${id}/publish`);
      await expect(lead.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`Publish ${title}`);
      await expect(lead.getByText('2 recommendations', { exact: true }).count()).resolves.toBe(1);
      await expect(
        lead.getByText(`the inspection appears on the public register from 15 January ${nextYear}`).count(),
      ).resolves.toBe(1);
      await noSideways(lead);
      await checkPage(lead, shot('3-confirm'));
      await lead.getByRole('link', { name: 'Cancel' }).click();
      await lead.waitForLoadState();
      expect((await api.adminApi.get(`/inspections/${id}`)).body).toMatchObject({ draft: true, version: 1 });
      await lead.getByRole('button', { name: 'Publish', exact: true }).click();
      await lead.waitForLoadState();
      await click(lead, 'Confirm and publish');
      expect(new URL(lead.url()).pathname).toBe(`/inspections/${id}`);
      await expect(lead.getByText('Inspection published').count()).resolves.toBe(1);
      await expect(lead.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(title);
      await expect(lead.getByRole('button', { name: 'Publish', exact: true }).count()).resolves.toBe(0);
      await noSideways(lead);
      await checkPage(lead, shot('4-published'));
      expect((await api.adminApi.get(`/inspections/${id}`)).body).toMatchObject({ draft: false, version: 2 });

      // Off the drafts on My work, onto the next deadlines of the inspections they lead.
      await lead.goto('/');
      await expect(lead.locator('#drafts').getByRole('link', { name: title }).count()).resolves.toBe(0);
      await expect(lead.locator('#inspections').getByRole('link', { name: title }).count()).resolves.toBe(1);
      await lead.goto(`/inspections/${id}`);

      // Now the force sees it, and the confirmation page sends a late publisher back to it.
      await expect(statusOf(liaison, `/inspections/${id}`)).resolves.toBe(200);
      await lead.goto(`/inspections/${id}/publish`);
      expect(new URL(lead.url()).pathname).toBe(`/inspections/${id}`);
      await expect(lead.getByText('This inspection is already published').count()).resolves.toBe(1);
    }, 120_000);
  }

  it('fits 768 px too: the draft, its recommendation, the confirmation and My work', async () => {
    const created = await world.lead.api.post('/inspections', {
      organisationId: world.force.id,
      leadInspectorId: world.lead.id,
      title: 'Merseyside PEEL draft at 768',
      programme: 'PEEL',
      publishedAt: `${nextYear}-02-01T00:00:00Z`,
      draft: true,
      recommendations: [{ reference: '1', text: 'Review how children detained in custody are accommodated overnight' }],
    });
    expect(created.status).toBe(201);
    const page = await signedIn(world.lead, 768);
    for (const [name, path] of [
      ['draft', `/inspections/${created.body.id}`],
      ['recommendation', `/recommendations/${created.body.recommendations[0].id}`],
      ['confirm', `/inspections/${created.body.id}/publish`],
      ['my-work', '/'],
    ]) {
      await expect(statusOf(page, path)).resolves.toBe(200);
      await noSideways(page);
      await checkPage(page, `drafts-768-${name}`);
    }
  }, 60_000);
});
