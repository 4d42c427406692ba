// The admin pages in a real browser: organisations, users (add, change, deactivate) and follow-up policies; refusals,
// stale forms, garbage posts, no JavaScript.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  TEST_PASSWORD,
  type RunningApi,
  type TestUser,
  type Organisation,
  type Schema,
} from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, newContext, signIn, startApiAndBrowser } from '../support/browser.js';
import { csrfToken, errorSummary, postRaw, signedIn, statusOf, tableRows } from './page-helpers.js';
import type { PageGlobals } from '../support/page-globals.js';

const ADMIN_PAGES = [
  '/admin',
  '/admin/organisations',
  '/admin/organisations/new',
  '/admin/users',
  '/admin/users/new',
  '/admin/policies',
  '/admin/policies/new',
];

describe('admin pages (browser)', () => {
  let api: RunningApi, browser: Browser, merseyside: Organisation, manager: TestUser, liaison: TestUser;

  beforeAll(async () => {
    ({ api, browser } = await startApiAndBrowser());
    merseyside = await api.createOrganisation({ name: 'Merseyside Police' });
    manager = await api.createUser('manager');
    liaison = await api.createUser('liaison', [merseyside.id]);
  });

  afterAll(() => closeApiAndBrowser(api, browser));

  const asAdmin = (javaScript = true) =>
    signedIn(browser, api.baseUrl, api.admin.email, { password: api.admin.password, javaScript });
  const userByEmail = async (email: string) =>
    (await api.adminApi.get('/users?limit=500')).body.items.find((u: Schema<'UserResponse'>) => u.email === email);

  /** Fills the add-user form with a name, an email and a role (the person is invited to choose their password). */
  async function fillNewUser(page: Page, name: string, email: string, role: string): Promise<void> {
    await page.getByLabel('Full name').fill(name);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('radio', { name: role }).check();
  }

  /** Clicks a form's button and returns the status of the POST (303 when it was saved). */
  async function submit(page: Page, button: string): Promise<number> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: button }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  it('shows every admin page to an administrator, with axe finding nothing', async () => {
    const { context, page } = await asAdmin();
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.waitForURL(/\/admin$/);
    await expect(page.title()).resolves.toBe('Admin – Follow-up Tracker');
    for (const path of ADMIN_PAGES) {
      expect(await statusOf(page, path)).toBe(200);
      await checkPage(page, `admin${path.replace(/^\/admin/, '').replace(/\//g, '-') || '-index'}`);
    }
    await context.close();
  });

  it.each(['manager', 'liaison'])('refuses every admin page and form to a %s', async (role) => {
    const user = role === 'manager' ? manager : liaison;
    const { context, page } = await signedIn(browser, api.baseUrl, user.email);
    await expect(page.getByRole('link', { name: 'Admin', exact: true }).count()).resolves.toBe(0);
    for (const path of [...ADMIN_PAGES, `/admin/users/${liaison.id}`])
      expect({ path, status: await statusOf(page, path) }).toEqual({ path, status: 403 });
    await checkPage(page, `admin-refused-${role}`);
    await page.goto('/account');
    const token = await csrfToken(page);
    for (const path of [
      '/admin/organisations/new',
      '/admin/users/new',
      '/admin/policies/new',
      `/admin/users/${user.id}`,
    ]) {
      const { status } = await postRaw(
        page,
        path,
        `_csrf=${encodeURIComponent(token)}&name=Sneaky&code=SNEAKY&role=admin&version=1&active=yes`,
      );
      expect({ path, status }).toEqual({ path, status: 403 });
    }
    await context.close();
  });

  it('adds an organisation, refusing an empty form and a code in use', async () => {
    const { context, page } = await asAdmin();
    await page.goto('/admin/organisations');
    await page.getByRole('button', { name: 'Add an organisation' }).click();
    await page.waitForURL(/\/admin\/organisations\/new$/);
    expect(await submit(page, 'Add organisation')).toBe(400);
    await checkPage(page, 'admin-organisation-errors');
    await expect(errorSummary(page)).resolves.toEqual([
      'Enter the organisation’s name',
      'Enter a short code, such as MERSEYSIDE',
    ]);
    await expect(
      page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.className ?? ''),
    ).resolves.toContain('govuk-error-summary');
    await expect(page.title()).resolves.toBe('Error: Add an organisation – Admin – Follow-up Tracker');

    await page.getByLabel('Name').fill('Cheshire Constabulary');
    await page.getByLabel('Code').fill(merseyside.code.toLowerCase());
    expect(await submit(page, 'Add organisation')).toBe(409);
    await expect(errorSummary(page)).resolves.toEqual([
      `The code ${merseyside.code} is already used by another organisation`,
    ]);
    await expect(page.getByLabel('Name').inputValue()).resolves.toBe('Cheshire Constabulary');

    await page.getByLabel('Code').fill('cheshire');
    expect(await submit(page, 'Add organisation')).toBe(303);
    await page.waitForURL(/\/admin\/organisations$/);
    await checkPage(page, 'admin-organisation-added');
    await expect(page.getByText('Cheshire Constabulary has been added').count()).resolves.toBe(1);
    const rows = await tableRows(page);
    expect(rows.map((row) => row.slice(0, 2))).toContainEqual(['Cheshire Constabulary', 'CHESHIRE']);
    expect(rows.find((row) => row[0] === 'Cheshire Constabulary')?.[2]).toMatch(
      /^How its people sign in\s*: Cheshire Constabulary$/,
    );
    await context.close();
  });

  it('adds a user who can then sign in, keeping values and naming each problem', async () => {
    const { context, page } = await asAdmin();
    await page.goto('/admin/users');
    await checkPage(page, 'admin-users');
    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.getByLabel('Email address').fill('not-an-email');
    // The administrator never sees or sets the person's password.
    await expect(page.getByLabel('Password').count()).resolves.toBe(0);
    expect(await submit(page, 'Add user')).toBe(400);
    await checkPage(page, 'admin-user-errors');
    await expect(errorSummary(page)).resolves.toEqual([
      'Enter the person’s full name',
      'Enter an email address in the correct format, like name@example.org',
      'Select a role',
    ]);
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe('not-an-email');

    // A liaison without a force: the service's rule, in words.
    await fillNewUser(page, 'Alex Liaison', 'alex.liaison@merseyside.example', 'Force liaison');
    expect(await submit(page, 'Add user')).toBe(400);
    await expect(errorSummary(page)).resolves.toEqual(['Choose at least one force for a force liaison']);
    await expect(page.getByRole('radio', { name: 'Force liaison' }).isChecked()).resolves.toBe(true);

    await page.getByRole('checkbox', { name: 'Merseyside Police' }).check();
    expect(await submit(page, 'Add user')).toBe(303);
    await page.waitForURL(/\/admin\/users$/);
    await expect(page.getByText('Alex Liaison has been added').count()).resolves.toBe(1);
    await expect(
      page.getByText('We have emailed alex.liaison@merseyside.example an invitation to choose their password.').count(),
    ).resolves.toBe(1);
    await checkPage(page, 'admin-user-added');
    expect(await userByEmail('alex.liaison@merseyside.example')).toMatchObject({
      name: 'Alex Liaison',
      role: 'liaison',
      organisationIds: [merseyside.id],
      active: true,
    });

    // The same email again is a conflict.
    await page.goto('/admin/users/new');
    await fillNewUser(page, 'Alex Again', 'Alex.Liaison@merseyside.example', 'Inspector');
    expect(await submit(page, 'Add user')).toBe(409);
    await expect(errorSummary(page)).resolves.toEqual(['Someone already uses this email address']);

    // Invited, not yet able to sign in; the change page says where the invitation stands (no worker runs here to send
    // it).
    const created = await userByEmail('alex.liaison@merseyside.example');
    await page.goto(`/admin/users/${created.id}`);
    await expect(page.getByText('The invitation email is about to be sent.').count()).resolves.toBe(1);
    await checkPage(page, 'admin-user-invited');
    expect((await api.login('alex.liaison@merseyside.example', TEST_PASSWORD)).status).toBe(401);
    await context.close();
  });

  it('changes a person’s role and forces, deactivates them, and refuses a stale form and the last administrator', async () => {
    const target = await api.createUser('liaison', [merseyside.id]);
    const { context, page } = await asAdmin();
    await page.goto('/admin/users');
    await page
      .getByRole('link', { name: `Change ${target.name}` })
      .first()
      .click();
    await page.goto(`/admin/users/${target.id}`);
    await checkPage(page, 'admin-user-change');
    await expect(page.title()).resolves.toBe(`Change ${target.name} – Admin – Follow-up Tracker`);

    // Another tab saves first; this tab's form is then stale.
    const other = await context.newPage();
    await other.goto(`/admin/users/${target.id}`);
    await other.getByLabel('Full name').fill('Renamed Elsewhere');
    expect(await submit(other, 'Save changes')).toBe(303);
    await other.waitForURL(/\/admin\/users$/);
    await page.getByRole('radio', { name: 'Manager' }).check();
    await page.getByRole('checkbox', { name: 'Merseyside Police' }).uncheck();
    expect(await submit(page, 'Save changes')).toBe(409);
    await checkPage(page, 'admin-user-stale');
    await expect(page.getByRole('alert').first().innerText()).resolves.toContain(
      'Someone changed this while you were editing it',
    );
    await expect(page.getByLabel('Full name').inputValue()).resolves.toBe('Renamed Elsewhere');
    await expect(page.getByRole('radio', { name: 'Force liaison' }).isChecked()).resolves.toBe(true);
    expect(await userByEmail(target.email)).toMatchObject({ role: 'liaison', name: 'Renamed Elsewhere' });

    // No force ticked is not "every force": it is refused, naming the field, and nothing changes.
    await page.getByRole('radio', { name: 'Manager' }).check();
    await page.getByRole('checkbox', { name: 'Merseyside Police' }).uncheck();
    expect(await submit(page, 'Save changes')).toBe(400);
    await expect(page.getByRole('alert').first().innerText()).resolves.toContain(
      'Choose at least one force for a manager, or choose All forces',
    );
    expect(await userByEmail(target.email)).toMatchObject({ role: 'liaison', organisationIds: [merseyside.id] });
    await page.getByRole('radio', { name: 'Manager' }).check();
    await page.getByRole('checkbox', { name: 'Merseyside Police' }).uncheck();
    await page.getByRole('checkbox', { name: 'All forces' }).check();
    await page.getByRole('radio', { name: 'Deactivated' }).check();
    expect(await submit(page, 'Save changes')).toBe(303);
    await page.waitForURL(/\/admin\/users$/);
    await expect(page.getByText('Renamed Elsewhere’s details have been saved').count()).resolves.toBe(1);
    expect(await userByEmail(target.email)).toMatchObject({
      role: 'manager',
      organisationIds: [],
      allOrganisations: true,
      active: false,
    });
    const refused = await newContext(browser, api.baseUrl);
    const refusedPage = await refused.newPage();
    await signIn(refusedPage, target.email, TEST_PASSWORD);
    expect(new URL(refusedPage.url()).pathname).toBe('/sign-in');
    await refused.close();

    await page.goto(`/admin/users/${api.admin.id}`);
    await page.getByRole('radio', { name: 'Deactivated' }).check();
    expect(await submit(page, 'Save changes')).toBe(409);
    await expect(page.getByRole('alert').first().innerText()).resolves.toContain('last active administrator');
    expect(await userByEmail(api.admin.email)).toMatchObject({ role: 'admin', active: true });

    expect(await statusOf(page, '/admin/users/not-a-uuid')).toBe(404);
    expect(await statusOf(page, '/admin/users/00000000-0000-4000-8000-000000000000')).toBe(404);
    await context.close();
  });

  it('adds a follow-up policy with periods in words', async () => {
    const { context, page } = await asAdmin();
    await page.goto('/admin/policies');
    await page.getByRole('button', { name: 'Add a follow-up policy' }).click();
    await page.getByLabel('Programme').fill('NCPI');
    await page.getByLabel('Action plan due after').fill('soon');
    expect(await submit(page, 'Add policy')).toBe(400);
    await checkPage(page, 'admin-policy-errors');
    await expect(errorSummary(page)).resolves.toEqual([
      'Enter the action plan period as a number of days, weeks, months or years, like 6 weeks',
      'Enter how long after publication the revisit is due',
    ]);
    await expect(page.getByLabel('Programme').inputValue()).resolves.toBe('NCPI');
    await page.getByLabel('Action plan due after').fill('6 weeks');
    await page.getByLabel('Revisit due after').fill('12 months');
    expect(await submit(page, 'Add policy')).toBe(303);
    await page.waitForURL(/\/admin\/policies$/);
    await checkPage(page, 'admin-policies-added');
    await expect(tableRows(page)).resolves.toEqual([['NCPI', '6 weeks', '12 months']]);
    expect((await api.adminApi.get('/follow-up-policies')).body.items).toEqual([
      expect.objectContaining({ programme: 'NCPI', actionPlanAfter: 'P6W', revisitAfter: 'P12M' }),
    ]);

    await page.goto('/admin/policies/new');
    await page.getByLabel('Programme').fill('NCPI');
    await page.getByLabel('Action plan due after').fill('P8W');
    await page.getByLabel('Revisit due after').fill('1 year');
    expect(await submit(page, 'Add policy')).toBe(409);
    await expect(errorSummary(page)).resolves.toEqual(['NCPI already has a follow-up policy']);
    await context.close();
  });

  it('adds an organisation and a user without JavaScript', async () => {
    const { context, page } = await asAdmin(false);
    await page.goto('/admin/organisations/new');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.waitForLoadState();
    await checkPage(page, 'admin-organisation-errors-no-js');
    await expect(errorSummary(page)).resolves.toHaveLength(2);
    await page.getByLabel('Name').fill('Northamptonshire Police');
    await page.getByLabel('Code').fill('NORTHANTS');
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await page.waitForURL(/\/admin\/organisations$/);
    await checkPage(page, 'admin-organisation-added-no-js');

    await page.goto('/admin/users/new');
    await fillNewUser(page, 'Nina Inspector', 'nina@hmicfrs.example', 'Inspector');
    await checkPage(page, 'admin-user-new-no-js');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.waitForURL(/\/admin\/users$/);
    await checkPage(page, 'admin-user-added-no-js');
    expect(await userByEmail('nina@hmicfrs.example')).toMatchObject({ role: 'inspector', active: true });
    await context.close();
  });

  it('answers garbage posted to every admin form with 400, never 500, and saves nothing', async () => {
    const { context, page } = await asAdmin();
    await page.goto('/admin');
    const token = encodeURIComponent(await csrfToken(page));
    const [usersBefore, organisationsBefore, policiesBefore] = await Promise.all(
      ['/users?limit=500', '/organisations?limit=500', '/follow-up-policies'].map((path) => api.adminApi.get(path)),
    );
    const target = liaison.id;
    const cases: [string, string | Record<string, unknown>][] = [
      ['/admin/organisations/new', `_csrf=${token}&name[]=a&name[]=b&code[x]=1`],
      ['/admin/organisations/new', `_csrf=${token}&name=${'x'.repeat(300)}&code=${'y'.repeat(50)}`],
      ['/admin/organisations/new', { _csrf: decodeURIComponent(token), name: { $gt: '' }, code: null }],
      [
        '/admin/users/new',
        `_csrf=${token}&name=X&email=x@y.z&password=${'p'.repeat(20)}&role=superuser&organisationIds=not-a-uuid`,
      ],
      [
        '/admin/users/new',
        `_csrf=${token}&name=X&email=x@y.z&password=${'p'.repeat(20)}&role=liaison&organisationIds=00000000-0000-4000-8000-000000000000`,
      ],
      ['/admin/users/new', `_csrf=${token}&role[]=admin&organisationIds[a][b]=c&email[]=a@b.c&__proto__[admin]=1`],
      [
        '/admin/users/new',
        {
          _csrf: decodeURIComponent(token),
          name: 1,
          email: true,
          password: ['x'],
          role: { admin: true },
          organisationIds: 'x',
        },
      ],
      [
        `/admin/users/${target}`,
        `_csrf=${token}&name=X&role=liaison&organisationIds=${merseyside.id}&active=maybe&version=1`,
      ],
      [
        `/admin/users/${target}`,
        `_csrf=${token}&name=X&role=liaison&organisationIds=${merseyside.id}&active=yes&version=abc`,
      ],
      [`/admin/users/${target}`, `_csrf=${token}&name=&role=god&active=yes&version=99999999999999999999`],
      [
        `/admin/users/${target}`,
        `_csrf=${token}&name=X&role=admin&organisationIds=${merseyside.id}&active=yes&version=${liaison.version}`,
      ],
      [
        `/admin/users/${target}`,
        { _csrf: decodeURIComponent(token), name: ['X'], role: null, active: {}, version: { $gt: 0 } },
      ],
      ['/admin/policies/new', `_csrf=${token}&programme=P&actionPlanAfter=P0D&revisitAfter=-6 months`],
      ['/admin/policies/new', `_csrf=${token}&programme[]=P&actionPlanAfter=PT5M&revisitAfter=6 fortnights`],
      [
        '/admin/policies/new',
        { _csrf: decodeURIComponent(token), programme: { a: 1 }, actionPlanAfter: 6, revisitAfter: null },
      ],
    ];
    for (const [path, body] of cases) {
      const { status, text } = await postRaw(page, path, body);
      expect({ path, body, status }).toEqual({ path, body, status: 400 });
      expect(text).toContain('There is a problem');
    }
    expect((await postRaw(page, '/admin/users/not-a-uuid', `_csrf=${token}&name=X`)).status).toBe(404);
    expect(
      (
        await postRaw(
          page,
          '/admin/users/00000000-0000-4000-8000-000000000000',
          `_csrf=${token}&name=X&role=admin&active=yes&version=1`,
        )
      ).status,
    ).toBe(404);
    expect((await postRaw(page, '/admin/organisations/new', 'name=X&code=Y')).status).toBe(403);
    const [usersAfter, organisationsAfter, policiesAfter] = await Promise.all(
      ['/users?limit=500', '/organisations?limit=500', '/follow-up-policies'].map((path) => api.adminApi.get(path)),
    );
    expect(usersAfter.body).toEqual(usersBefore.body);
    expect(organisationsAfter.body).toEqual(organisationsBefore.body);
    expect(policiesAfter.body).toEqual(policiesBefore.body);
    await context.close();
  });
});
