// The recommendation page in a real browser: issued to closed through the forms, refusals, stale forms, scope, and no
// JavaScript.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import type { RunningApi, TestUser } from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser } from '../support/browser.js';
import { startWebWorld, type WebWorld } from '../support/web-world.js';
import { signedInPage } from './page-helpers.js';
import type { PageGlobals } from '../support/page-globals.js';

describe('recommendation page (browser)', () => {
  let api: RunningApi, browser: Browser, world: WebWorld;
  beforeAll(async () => ({ api, browser, world } = await startWebWorld()));
  afterAll(() => closeApiAndBrowser(api, browser));

  const signedIn = (user: TestUser, options: { javaScript?: boolean } = {}) =>
    signedInPage(browser, api.baseUrl, user, options);

  const form = (page: Page, heading: string) =>
    page.locator('section.app-action', { has: page.getByRole('heading', { name: heading, exact: true }) });
  const state = async (id: string) => (await api.adminApi.get(`/recommendations/${id}`)).body;

  async function submitPlan(
    page: Page,
    response: string,
    target: { day: string; month: string; year: string },
    comment = '',
  ): Promise<void> {
    const plan = form(page, 'Submit the action plan');
    await plan.getByRole('radio', { name: response, exact: true }).check();
    await plan.getByLabel('Owner', { exact: true }).fill('Head of Public Protection');
    await plan.getByLabel('Actions', { exact: true }).fill('Audit every overdue visit\nRecruit four offender managers');
    await plan.getByLabel('Day').fill(target.day);
    await plan.getByLabel('Month').fill(target.month);
    await plan.getByLabel('Year').fill(target.year);
    if (comment) await plan.getByLabel('Comment', { exact: true }).fill(comment);
    await plan.getByRole('button', { name: 'Submit action plan' }).click();
    await page.waitForLoadState();
  }

  async function takeToClosure(liaisonPage: Page, inspectorPage: Page, id: string, prefix: string): Promise<void> {
    await liaisonPage.goto(`/recommendations/${id}`);
    await expect(liaisonPage.title()).resolves.toBe(
      'Recommendation ' + (await state(id)).reference + ' – Merseyside NCPI 2018 – Follow-up Tracker',
    );
    await checkPage(liaisonPage, `${prefix}-1-issued-liaison`);
    await submitPlan(liaisonPage, 'Agreed', { day: '31', month: '3', year: '2027' });
    await expect(liaisonPage.getByText('Action plan submitted').first().isVisible()).resolves.toBe(true);
    await checkPage(liaisonPage, `${prefix}-2-planned-liaison`);
    expect((await state(id)).status).toBe('planned');

    const progress = form(liaisonPage, 'Update progress');
    await progress.getByRole('radio', { name: 'Amber' }).check();
    await progress.getByLabel('Day').fill('30');
    await progress.getByLabel('Month').fill('6');
    await progress.getByLabel('Comment', { exact: true }).fill('Recruitment took longer than planned');
    await progress.getByRole('button', { name: 'Update progress' }).click();
    await liaisonPage.waitForLoadState();
    const afterProgress = await state(id);
    expect([afterProgress.rag, afterProgress.targetDate]).toEqual(['amber', '2027-06-30']);
    await expect(liaisonPage.getByText('Target date moved from 31 March 2027 to 30 June 2027.').count()).resolves.toBe(
      1,
    );
    // The reason is the entry's comment, shown once.
    await expect(
      liaisonPage.locator('.moj-timeline').getByText('Recruitment took longer than planned').count(),
    ).resolves.toBe(1);
    await checkPage(liaisonPage, `${prefix}-3-progress-liaison`);

    const closure = form(liaisonPage, 'Propose closure');
    await closure.getByLabel('Evidence title').fill('Audit of overdue visits, June 2027');
    await closure.getByLabel('Evidence link').fill('https://intranet.example/audit');
    await closure.getByLabel('Evidence note').fill('No visit is now overdue');
    await closure.getByRole('button', { name: 'Propose closure' }).click();
    await liaisonPage.waitForLoadState();
    expect((await state(id)).status).toBe('closure_proposed');
    await checkPage(liaisonPage, `${prefix}-4-closure-proposed-liaison`);
    // The force has nothing more to do but wait, or withdraw the proposal.
    await expect(liaisonPage.locator('section.app-action h2').allTextContents()).resolves.toEqual([
      'Withdraw the closure proposal',
    ]);

    await inspectorPage.goto('/');
    // Waiting for the lead inspector's review (My work also lists what changed since the last visit).
    await expect(
      inspectorPage
        .locator('section#review')
        .getByRole('link', { name: `Recommendation ${afterProgress.reference}`, exact: true })
        .count(),
    ).resolves.toBe(1);
    await inspectorPage.goto(`/recommendations/${id}`);
    await checkPage(inspectorPage, `${prefix}-5-review-inspector`);
    await expect(
      inspectorPage.getByRole('link', { name: 'Audit of overdue visits, June 2027' }).getAttribute('href'),
    ).resolves.toBe('https://intranet.example/audit');
    // One question, then a check-your-answers page: only `Confirm decision` saves.
    const decide = form(inspectorPage, 'Decide on the closure proposal');
    await decide.getByRole('radio', { name: 'Authorise closure' }).check();
    await decide.getByRole('button', { name: 'Continue' }).click();
    await inspectorPage.waitForLoadState();
    expect(new URL(inspectorPage.url()).pathname).toBe(`/recommendations/${id}/confirm`);
    expect((await state(id)).status).toBe('closure_proposed');
    await checkPage(inspectorPage, `${prefix}-5b-confirm-inspector`);
    await inspectorPage.getByRole('button', { name: 'Confirm decision' }).click();
    await inspectorPage.waitForLoadState();
    const closed = await state(id);
    expect([closed.status, closed.outcome]).toEqual(['closed', 'implemented']);
    await checkPage(inspectorPage, `${prefix}-6-closed-inspector`);
    // The history names who did what, oldest at the bottom.
    const titles = await inspectorPage.locator('.moj-timeline__title').allTextContents();
    expect(titles).toEqual([
      'Closure authorised',
      'Closure proposed',
      'Progress updated',
      'Action plan submitted',
      'Issued',
    ]);
    await expect(inspectorPage.locator('.moj-timeline__byline').first().textContent()).resolves.toBe(
      'by Ines Inspector',
    );
    // The lead inspector sees the notifications planned and sent for it.
    await expect(inspectorPage.getByRole('heading', { name: 'Notifications' }).count()).resolves.toBe(1);
  }

  it('takes a recommendation from issued to closed through the forms, as liaison then inspector', async () => {
    await takeToClosure(await signedIn(world.liaison), await signedIn(world.lead), world.recs['1'], 'flow');
  }, 150_000);

  it('does the same with JavaScript turned off', async () => {
    await takeToClosure(
      await signedIn(world.liaison, { javaScript: false }),
      await signedIn(world.lead, { javaScript: false }),
      world.recs['2'],
      'nojs',
    );
  }, 150_000);

  it('keeps the values of a refused form, focuses its error summary and saves nothing', async () => {
    const id = world.recs['3'];
    const before = await state(id);
    const page = await signedIn(world.liaison);
    await page.goto(`/recommendations/${id}`);
    await submitPlan(page, 'Partly agreed', { day: '31', month: '2', year: '2027' });
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain('Target date must be a real date');
    await expect(
      page.evaluate(() =>
        (globalThis as unknown as PageGlobals).document.activeElement?.classList.contains('govuk-error-summary'),
      ),
    ).resolves.toBe(true);
    await expect(page.title()).resolves.toMatch(/^Error: Recommendation 3 – /);
    const plan = form(page, 'Submit the action plan');
    await expect(plan.getByLabel('Owner', { exact: true }).inputValue()).resolves.toBe('Head of Public Protection');
    await expect(plan.getByRole('radio', { name: 'Partly agreed' }).isChecked()).resolves.toBe(true);
    await expect(plan.getByLabel('Day').inputValue()).resolves.toBe('31');
    await checkPage(page, 'refused-date');
    // The summary's link takes the person to the field.
    await expect(
      summary.getByRole('link', { name: 'Target date must be a real date' }).getAttribute('href'),
    ).resolves.toBe('#submit_plan-targetDate-day');

    // Fixed date, still no comment for a partial agreement: the domain's rule, in words.
    await plan.getByLabel('Day').fill('28');
    await plan.getByRole('button', { name: 'Submit action plan' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Enter a comment saying why the force does not fully agree',
    );
    await checkPage(page, 'refused-comment');
    const after = await state(id);
    expect([after.status, after.version]).toEqual([before.status, before.version]);
  });

  it('refuses a form posted against an older version and shows the current state without overwriting it', async () => {
    const id = world.recs['4'];
    const page = await signedIn(world.liaison);
    await page.goto(`/recommendations/${id}`);
    const stalePage = await page.context().newPage();
    await stalePage.goto(`/recommendations/${id}`);

    await submitPlan(page, 'Agreed', { day: '1', month: '12', year: '2027' });
    expect((await state(id)).owner).toBe('Head of Public Protection');

    const plan = form(stalePage, 'Submit the action plan');
    await plan.getByRole('radio', { name: 'Not agreed' }).check();
    await plan.getByLabel('Owner', { exact: true }).fill('Somebody else');
    await plan.getByLabel('Actions', { exact: true }).fill('Nothing');
    await plan.getByLabel('Day').fill('1');
    await plan.getByLabel('Month').fill('1');
    await plan.getByLabel('Year').fill('2028');
    await plan.getByLabel('Comment', { exact: true }).fill('We disagree');
    await plan.getByRole('button', { name: 'Submit action plan' }).click();
    await stalePage.waitForLoadState();
    await expect(stalePage.getByRole('alert').textContent()).resolves.toContain(
      'Someone else changed this recommendation while you were working on it',
    );
    await expect(stalePage.locator('#current-state + .govuk-summary-list').textContent()).resolves.toContain('Planned');
    await checkPage(stalePage, 'refused-stale');
    const after = await state(id);
    expect([after.owner, after.response, after.targetDate]).toEqual([
      'Head of Public Protection',
      'agreed',
      '2027-12-01',
    ]);
  });

  it("answers 404 for another force's recommendation and inspection", async () => {
    const page = await signedIn(world.otherLiaison);
    const response = await page.goto(`/recommendations/${world.recs['1']}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found');
    await checkPage(page, 'not-found-other-force');
    expect((await page.goto(`/inspections/${world.inspection.id}`))?.status()).toBe(404);
    expect((await page.goto('/recommendations/not-a-uuid'))?.status()).toBe(404);
  });

  it('never answers a form post with a 500, whatever is posted', async () => {
    const page = await signedIn(world.liaison);
    await page.goto(`/recommendations/${world.recs['3']}`);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const version = await page.locator('input[name=version]').first().inputValue();
    const bodies: Record<string, string>[] = [
      { action: 'submit_plan' },
      { action: 'no_such_action', version },
      { action: 'close', version, outcome: 'implemented', comment: 'x' },
      { action: 'submit_plan', version: 'abc' },
      {
        action: 'submit_plan',
        version,
        response: 'maybe',
        owner: 'x'.repeat(300),
        actions: 'a',
        'targetDate-day': '1',
        'targetDate-month': '1',
        'targetDate-year': '2027',
      },
      { action: 'propose_closure', version, evidenceUrl: 'javascript:alert(1)' },
      { action: 'authorise_closure', version },
      { 'action[]': 'submit_plan', version },
      { action: 'decide', version, decision: 'return' },
    ];
    const statuses: number[] = [];
    for (const body of bodies) {
      const response = await page.request.post(`/recommendations/${world.recs['3']}`, {
        form: { _csrf: csrf, ...body },
        headers: { accept: 'text/html' },
        maxRedirects: 0,
      });
      statuses.push(response.status());
    }
    // In order: no version (stale), an unknown action, an action the role may not take, a non-numeric version,
    // bad fields (validation comes before the state), a link that is no web address, the wrong state for the action, an
    // array,
    // a liaison's decision (who may act comes before what the payload lacks).
    expect(statuses).toEqual([409, 400, 403, 409, 400, 400, 403, 400, 403]);
    const noToken = await page.request.post(`/recommendations/${world.recs['3']}`, {
      form: { action: 'submit_plan', version },
      headers: { accept: 'text/html' },
      maxRedirects: 0,
    });
    expect(noToken.status()).toBe(403);
  });
});
