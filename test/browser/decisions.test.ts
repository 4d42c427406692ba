// Decisions and plan changes in a real browser, at 1280 and 390 pixels: the inspector decides through a
// check-your-answers page; the liaison sees the decision and its reason, amends the plan and withdraws a proposal.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { RunningApi, TestUser } from '../support/api-harness.js';
import { agreedPlan } from '../support/api-harness.js';
import path from 'node:path';
import { checkPage, closeApiAndBrowser, SCREENSHOTS } from '../support/browser.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';
import { signedInPage } from './page-helpers.js';

const WIDTHS = [1280, 390] as const;

describe('decisions and plan changes (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld;
  beforeAll(async () => ({ api, browser, world } = await startWebWorld(['1', '2', '3', '4', '5', '6'])));
  afterAll(() => closeApiAndBrowser(api, browser));

  const signedIn = async (user: TestUser, width: number, options: { javaScript?: boolean } = {}): Promise<Page> => {
    const page = await signedInPage(browser, api.baseUrl, user, options);
    await page.setViewportSize({ width, height: 900 });
    return page;
  };
  const form = (page: Page, heading: string) =>
    page.locator('section.app-action', { has: page.getByRole('heading', { name: heading, exact: true }) });
  const state = async (id: string) => (await api.adminApi.get(`/recommendations/${id}`)).body;
  const act = async (user: TestUser, id: string, body: Record<string, unknown>) => {
    const res = await user.api.post(`/recommendations/${id}/transitions`, {
      version: (await state(id)).version,
      ...body,
    });
    expect(res.status).toBe(200);
  };
  const proposeByApi = (id: string, title: string) =>
    act(world.liaison, id, { action: 'propose_closure', evidence: [{ title }] });
  const noSideways = async (page: Page) =>
    expect(
      page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth <= (globalThis as any).innerWidth),
    ).resolves.toBe(true);
  const click = async (page: Page, scope: ReturnType<Page['locator']> | Page, button: string) => {
    await scope.getByRole('button', { name: button, exact: true }).click();
    await page.waitForLoadState();
  };

  for (const [i, width] of WIDTHS.entries()) {
    const shot = (name: string) => `decisions-${width}-${name}`;

    it(`lets the liaison amend the plan, with a reason for a new date, and withdraw a closure proposal (${width} px)`, async () => {
      const id = world.recs[String(1 + i)];
      const created = await state(id);
      await world.liaison.api.post(
        `/recommendations/${id}/transitions`,
        agreedPlan(created.version, {
          owner: 'Head of Public Protection',
          actions: 'Audit every visit',
          targetDate: '2027-03-31',
        }),
      );
      const page = await signedIn(world.liaison, width);
      await page.goto(`/recommendations/${id}`);
      const amend = form(page, 'Amend the action plan');
      // It starts from the plan as it stands.
      await expect(amend.getByLabel('Owner', { exact: true }).inputValue()).resolves.toBe('Head of Public Protection');
      await expect(amend.getByLabel('Actions', { exact: true }).inputValue()).resolves.toBe('Audit every visit');
      await expect(amend.getByLabel('Year').inputValue()).resolves.toBe('2027');
      await checkPage(page, shot('1-planned-liaison'));
      await noSideways(page);

      // A new date without a reason is refused, in words, and nothing changes.
      const before = await state(id);
      await amend.getByLabel('Owner', { exact: true }).fill('Detective Superintendent Shaw');
      await amend.getByLabel('Month').fill('9');
      await amend.getByLabel('Day').fill('30');
      await click(page, amend, 'Amend action plan');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Enter the reason for the new date');
      await checkPage(page, shot('2-amend-refused'));
      expect((await state(id)).version).toBe(before.version);

      const again = form(page, 'Amend the action plan');
      await expect(again.getByLabel('Owner', { exact: true }).inputValue()).resolves.toBe(
        'Detective Superintendent Shaw',
      );
      await again.getByLabel('Reason for the new date').fill('The new system goes live in September');
      await click(page, again, 'Amend action plan');
      await expect(page.getByText('Action plan amended').first().isVisible()).resolves.toBe(true);
      const amended = await state(id);
      expect([amended.status, amended.owner, amended.targetDate]).toEqual([
        'planned',
        'Detective Superintendent Shaw',
        '2027-09-30',
      ]);
      await expect(page.locator('.moj-timeline__title').first().textContent()).resolves.toBe('Action plan amended');
      const amendedEntry = page.locator('.moj-timeline__item').first();
      await expect(
        amendedEntry.getByText('Target date moved from 31 March 2027 to 30 September 2027.').count(),
      ).resolves.toBe(1);
      await expect(amendedEntry.getByText('The new system goes live in September').count()).resolves.toBe(1);
      await checkPage(page, shot('3-amended'));

      // Propose, then take the proposal back before the inspector decides.
      const propose = form(page, 'Propose closure');
      await propose.getByLabel('Evidence title').fill('Audit of visits, September 2027');
      await click(page, propose, 'Propose closure');
      expect((await state(id)).status).toBe('closure_proposed');
      const withdraw = form(page, 'Withdraw the closure proposal');
      await expect(
        withdraw.getByRole('button', { name: 'Withdraw closure proposal' }).getAttribute('class'),
      ).resolves.toContain('govuk-button--secondary');
      await checkPage(page, shot('4-proposed'));
      await withdraw.getByLabel('Comment').fill('Wrong audit attached');
      await click(page, withdraw, 'Withdraw closure proposal');
      expect((await state(id)).status).toBe('planned');
      await expect(page.locator('.moj-timeline__title').first().textContent()).resolves.toBe(
        'Closure proposal withdrawn',
      );
      await expect(page.getByText(/^Withdrawn on /).count()).resolves.toBe(1);
      await checkPage(page, shot('5-withdrawn'));
      await noSideways(page);
    }, 180_000);

    it(`has the inspector decide with one question and a confirmation, and shows the force the decision and its reason (${width} px)`, async () => {
      const id = world.recs[String(3 + i)];
      await act(world.liaison, id, agreedPlan((await state(id)).version, { targetDate: '2027-03-31' }));
      await proposeByApi(id, 'Audit of visits, one division');
      const inspector = await signedIn(world.lead, width);
      await inspector.goto(`/recommendations/${id}`);
      const decide = form(inspector, 'Decide on the closure proposal');
      // The three answers are one question; there are no separate authorise and return forms, and no red buttons.
      await expect(
        decide.getByRole('group', { name: 'What is your decision?' }).getByRole('radio').allTextContents(),
      ).resolves.toBeDefined();
      await expect(decide.getByRole('radio').count()).resolves.toBe(5);
      await expect(inspector.getByRole('button', { name: 'Authorise closure' }).count()).resolves.toBe(0);
      await expect(inspector.getByRole('button', { name: 'Return to force' }).count()).resolves.toBe(0);
      await expect(inspector.locator('.govuk-button--warning').count()).resolves.toBe(0);
      await checkPage(inspector, shot('6-decide'));
      await noSideways(inspector);

      // Nothing chosen, then a return without a reason: each refused in words, nothing saved.
      await click(inspector, decide, 'Continue');
      await expect(inspector.getByRole('alert').textContent()).resolves.toContain('Select your decision');
      await form(inspector, 'Decide on the closure proposal')
        .getByRole('radio', { name: 'Return to the force' })
        .check();
      await click(inspector, form(inspector, 'Decide on the closure proposal'), 'Continue');
      await expect(inspector.getByRole('alert').textContent()).resolves.toContain(
        'Enter a reason for returning the closure',
      );
      await checkPage(inspector, shot('7-decide-refused'));
      expect((await state(id)).status).toBe('closure_proposed');

      await form(inspector, 'Decide on the closure proposal')
        .getByLabel('Reason')
        .fill('The audit covers one division.');
      await click(inspector, form(inspector, 'Decide on the closure proposal'), 'Continue');
      expect(new URL(inspector.url()).pathname).toBe(`/recommendations/${id}/confirm`);
      await expect(inspector.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check your decision');
      const answers = () => inspector.locator('.govuk-summary-list').innerText();
      await expect(answers()).resolves.toMatch(/Decision\s+Return to the force/);
      await expect(answers()).resolves.toMatch(/Reason\s+The audit covers one division\./);
      await checkPage(inspector, shot('8-confirm'));
      await noSideways(inspector);
      expect((await state(id)).status).toBe('closure_proposed');

      // Change: back to the form as it was filled in; the reason grows.
      await inspector.getByRole('link', { name: 'Change reason' }).click();
      await inspector.waitForLoadState();
      const changed = form(inspector, 'Decide on the closure proposal');
      await expect(changed.getByRole('radio', { name: 'Return to the force' }).isChecked()).resolves.toBe(true);
      await expect(changed.getByLabel('Reason').inputValue()).resolves.toBe('The audit covers one division.');
      await changed.getByLabel('Reason').fill('The audit covers one division.\nSend the force-wide figures.');
      await click(inspector, changed, 'Continue');
      await click(inspector, inspector, 'Confirm decision');
      expect(new URL(inspector.url()).pathname).toBe(`/recommendations/${id}`);
      expect((await state(id)).status).toBe('planned');
      const banner = inspector.locator('#latest-decision');
      await expect(banner.innerText()).resolves.toContain('Closure returned to the force');
      await checkPage(inspector, shot('9-returned-inspector'));

      // The liaison sees the decision and its reason at the top, line breaks kept, and the evidence marked as returned.
      const liaison = await signedIn(world.liaison, width);
      await liaison.goto(`/recommendations/${id}`);
      const seen = liaison.locator('#latest-decision');
      await expect(seen.getByRole('heading', { name: 'Latest decision' }).count()).resolves.toBe(1);
      await expect(seen.innerText()).resolves.toContain('Closure returned to the force');
      await expect(seen.innerText()).resolves.toContain('by Ines Inspector on');
      await expect(liaison.locator('#decision-reason').innerText()).resolves.toBe(
        'The audit covers one division.\nSend the force-wide figures.',
      );
      await expect(liaison.getByText(/^Returned on /).count()).resolves.toBe(1);
      await checkPage(liaison, shot('10-returned-liaison'));
      // The top of the page as the liaison opens it (docs/images/decision-banner*.png: `npm run docs:images`).
      await liaison.screenshot({ path: path.join(SCREENSHOTS, `${shot('10-returned-liaison-top')}.png`) });
      await noSideways(liaison);

      // Closing without implementation needs an outcome; the confirmation repeats it.
      await proposeByApi(id, 'Audit of visits, every division');
      await inspector.goto(`/recommendations/${id}`);
      const close = form(inspector, 'Decide on the closure proposal');
      await close.getByRole('radio', { name: 'Close without implementation' }).check();
      await close.getByLabel('Reason').fill('The force no longer runs these visits');
      await click(inspector, close, 'Continue');
      await expect(inspector.getByRole('alert').textContent()).resolves.toContain('Select an outcome');
      await form(inspector, 'Decide on the closure proposal').getByRole('radio', { name: 'Not implemented' }).check();
      await click(inspector, form(inspector, 'Decide on the closure proposal'), 'Continue');
      await expect(answers()).resolves.toMatch(/Outcome\s+Not implemented/);
      await click(inspector, inspector, 'Confirm decision');
      const closed = await state(id);
      expect([closed.status, closed.outcome]).toEqual(['closed', 'not_implemented']);
      await expect(inspector.locator('#latest-decision').innerText()).resolves.toContain(
        'Closed without implementation',
      );

      // Reopen is a secondary button with its own confirmation.
      const reopen = form(inspector, 'Reopen');
      await expect(reopen.getByRole('button', { name: 'Reopen' }).getAttribute('class')).resolves.toContain(
        'govuk-button--secondary',
      );
      await checkPage(inspector, shot('11-closed'));
      await reopen.getByLabel('Comment').fill('Visits are back');
      await click(inspector, reopen, 'Reopen');
      expect((await state(id)).status).toBe('closed');
      await expect(answers()).resolves.toMatch(/Decision\s+Reopen/);
      await checkPage(inspector, shot('12-confirm-reopen'));
      await click(inspector, inspector, 'Confirm decision');
      expect((await state(id)).status).toBe('planned');
      await expect(inspector.locator('#latest-decision').innerText()).resolves.toContain('Reopened');
    }, 180_000);
  }

  it('refuses a confirmation whose recommendation changed meanwhile (409), saving nothing, and works without JavaScript', async () => {
    const id = world.recs['5'];
    await act(world.liaison, id, agreedPlan((await state(id)).version));
    await proposeByApi(id, 'Audit');
    const inspector = await signedIn(world.lead, 1280, { javaScript: false });
    await inspector.goto(`/recommendations/${id}`);
    const decide = form(inspector, 'Decide on the closure proposal');
    await decide.getByRole('radio', { name: 'Authorise closure' }).check();
    await click(inspector, decide, 'Continue');
    await checkPage(inspector, 'decisions-nojs-confirm');
    // The force withdraws while the inspector looks at the confirmation.
    await act(world.liaison, id, { action: 'withdraw_closure' });
    const response = inspector.waitForResponse((r) => r.request().method() === 'POST');
    await inspector.getByRole('button', { name: 'Confirm decision' }).click();
    expect((await response).status()).toBe(409);
    await inspector.waitForLoadState();
    await expect(inspector.getByRole('alert').textContent()).resolves.toContain(
      'Someone else changed this recommendation',
    );
    await checkPage(inspector, 'decisions-nojs-stale');
    const after = await state(id);
    expect([after.status, after.outcome]).toEqual(['planned', null]);
    // A second Confirm (the back button) has nothing waiting: the page as it is, nothing saved.
    const csrf = await inspector.locator('input[name=_csrf]').first().inputValue();
    const again = await inspector.request.post(`/recommendations/${id}/confirm`, {
      form: { _csrf: csrf },
      headers: { accept: 'text/html' },
      maxRedirects: 0,
    });
    expect([again.status(), again.headers().location]).toEqual([303, `/recommendations/${id}`]);
    expect((await state(id)).version).toBe(after.version);
  }, 120_000);
});
