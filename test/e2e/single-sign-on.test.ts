// Single sign-on against a real OpenID provider on loopback: accounts made just in time, kept in step with the groups
// at each sign-in, refused when unmapped, and signed out from either side.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DemoPerson } from '../../scripts/demo-identity-provider.js';
import { freePort } from '../../scripts/local-services.js';
import { startApi, type Organisation } from '../support/api-harness.js';
import { pageClient } from '../support/page-client.js';
import { ssoSignIn, startSsoWorld, type SsoWorld } from '../support/sso-world.js';

const people: DemoPerson[] = [
  {
    sub: 'sub-nadia',
    email: 'Nadia.Liaison@north.example',
    name: 'Nadia North',
    groups: ['sso-north-liaison', 'sso-south-liaison', 'unrelated'],
  },
  { sub: 'sub-uma', email: 'uma.unmapped@north.example', name: 'Uma Unmapped', groups: ['unrelated', 'sso-other'] },
  { sub: 'sub-gus', email: 'gus.ghost@north.example', name: 'Gus Ghost', groups: ['sso-ghost-force'] },
  { sub: 'sub-ada', email: 'ada.admin@hmicfrs.example', name: 'Ada Admin', groups: ['sso-admins'] },
  { sub: 'sub-ben', email: 'ben.backchannel@north.example', name: 'Ben Back', groups: ['sso-managers'] },
  { sub: 'sub-pat', email: 'pat.password@north.example', name: 'Pat Password', groups: ['sso-north-liaison'] },
  { sub: 'sub-dee', email: 'dee.deactivated@north.example', name: 'Dee Deactivated', groups: ['sso-north-liaison'] },
];

describe('single sign-on (OpenID Connect)', () => {
  let world: SsoWorld;
  let db: pg.Client;
  let north: Organisation;
  let south: Organisation;

  beforeAll(async () => {
    // Administrators must use two-factor sign-in here: SSO people skip the service's own (the provider does it).
    world = await startSsoWorld(people, { MFA_REQUIRED_ROLES: 'admin,inspector' });
    db = new pg.Client({ connectionString: world.api.dbUrl });
    await db.connect();
    north = await world.api.createOrganisation({ name: 'North Police', code: 'SSO-NORTH' });
    south = await world.api.createOrganisation({ name: 'South Police', code: 'SSO-SOUTH' });
  });

  afterAll(async () => {
    await db?.end();
    await world?.close();
  });

  const userBy = async (email: string) =>
    (
      await db.query(
        `SELECT u.*, coalesce((SELECT array_agg(o.code ORDER BY o.code) FROM user_organisations uo JOIN organisations o ON o.id = uo.organisation_id WHERE uo.user_id = u.id), '{}') AS codes FROM users u WHERE email = $1`,
        [email],
      )
    ).rows[0];
  const auditOf = async (userId: string) =>
    (await db.query(`SELECT action, changes, actor_id FROM audit_events WHERE entity_id = $1 ORDER BY seq`, [userId]))
      .rows;

  it('shows the button on the sign-in page', async () => {
    const page = await pageClient(world.api.baseUrl).get('/sign-in?returnTo=%2Finspections');
    expect(page.text).toContain('Sign in with your organisation account');
    expect(page.text).toContain('href="/sign-in/oidc?returnTo=%2Finspections"');
  });

  it('leaves for the provider with PKCE, state and nonce, kept in a sealed cookie only for the way back', async () => {
    const start = await pageClient(world.api.baseUrl).get('/sign-in/oidc');
    expect(start.status).toBe(303);
    const url = new URL(start.headers.get('location')!);
    expect(url.origin).toBe(world.idp.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    for (const param of ['code_challenge', 'state', 'nonce'])
      expect(url.searchParams.get(param)?.length).toBeGreaterThanOrEqual(22);
    expect(url.searchParams.get('redirect_uri')).toBe(`${world.api.baseUrl}/sign-in/oidc/callback`);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('followup.oidc='))!;
    expect(cookie).toMatch(/Path=\/sign-in\/oidc; .*HttpOnly; SameSite=Lax/);
    // Nothing of the state, nonce or verifier can be read from it.
    expect(cookie).not.toContain(url.searchParams.get('state')!);
    expect(start.headers.getSetCookie().some((c) => c.startsWith('followup.sid='))).toBe(false);
  });

  it('makes the account at the first sign-in from the claims: widest role, union of the forces, no password, no second factor', async () => {
    const { pages, callback } = await ssoSignIn(world, 'sub-nadia');
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/');
    const home = await pages.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Nadia North');
    const user = await userBy('nadia.liaison@north.example');
    expect(user).toMatchObject({
      role: 'liaison',
      oidc_issuer: world.idp.issuer,
      oidc_subject: 'sub-nadia',
      password_hash: null,
      active: true,
      codes: ['SSO-NORTH', 'SSO-SOUTH'],
    });
    expect(user.last_sign_in_at).not.toBeNull();
    const account = await pages.get('/account');
    expect(account.text).toContain('You signed in with your organisation account');
    expect(account.text).not.toContain('Change your password');
    expect(account.text).not.toContain('href="/account/two-factor"');
    const [created] = await auditOf(user.id);
    expect(created).toMatchObject({
      action: 'user.created',
      actor_id: user.id,
      changes: { via: 'single_sign_on', role: 'liaison', groups: ['sso-north-liaison', 'sso-south-liaison'] },
    });
  });

  it('an administrator by group is signed in without the service’s own two-factor step', async () => {
    const { pages, callback } = await ssoSignIn(world, 'sub-ada');
    expect(callback.headers.get('location')).toBe('/');
    expect((await pages.get('/admin/users')).status).toBe(200);
    expect(await userBy('ada.admin@hmicfrs.example')).toMatchObject({
      role: 'admin',
      totp_enabled_at: null,
      codes: [],
    });
  });

  it('takes the role and forces from the groups again at the next sign-in, re-planning what the person is sent', async () => {
    const lead = await world.api.createUser('inspector');
    await world.api.createInspection(lead.token, {
      organisationId: north.id,
      leadInspectorId: lead.id,
      recommendations: [{ reference: 'R1', timeframe: 'P3M' }],
    });
    const before = await userBy('nadia.liaison@north.example');
    const pending = async () =>
      (
        await db.query(
          `SELECT DISTINCT kind FROM notifications WHERE recipient_id = $1 AND status = 'scheduled' ORDER BY kind`,
          [before.id],
        )
      ).rows.map((r) => r.kind);
    // An inspection of her force: the planner counted her as North's liaison (the force's overdue notices).
    const asLiaison = await pending();
    expect(asLiaison).toContain('overdue');

    world.person('sub-nadia').groups = ['sso-managers'];
    const { callback } = await ssoSignIn(world, 'sub-nadia');
    expect(callback.status).toBe(303);
    const after = await userBy('nadia.liaison@north.example');
    expect(after).toMatchObject({ id: before.id, role: 'manager', all_organisations: true, codes: [] });
    const actions = (await auditOf(before.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.role_changed', 'user.organisations_changed']));
    // A manager of every force is sent a manager's notices (escalations) instead: the ledger was re-planned for her.
    const asManager = await pending();
    expect(asManager).toContain('escalation');
    expect(asManager).not.toEqual(asLiaison);
    void south;
  });

  it('refuses a person whose groups map to nothing, saying whom to ask, and makes no account', async () => {
    const { pages, callback } = await ssoSignIn(world, 'sub-uma');
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('You do not have access to Follow-up Tracker');
    expect(callback.text).toContain('Ask the administrators of Follow-up Tracker');
    expect(await userBy('uma.unmapped@north.example')).toBeUndefined();
    expect((await pages.get('/')).status).toBe(303);
  });

  it('refuses groups whose forces this service does not hold', async () => {
    const { callback } = await ssoSignIn(world, 'sub-gus');
    expect(callback.status).toBe(403);
    expect(await userBy('gus.ghost@north.example')).toBeUndefined();
  });

  it('takes access away at the next sign-in once the person leaves the groups, and their sessions end', async () => {
    world.person('sub-pat').groups = ['sso-north-liaison'];
    const { pages } = await ssoSignIn(world, 'sub-pat');
    expect((await pages.get('/')).status).toBe(200);
    world.person('sub-pat').groups = ['unrelated'];
    const { callback } = await ssoSignIn(world, 'sub-pat');
    expect(callback.status).toBe(403);
    const user = await userBy('pat.password@north.example');
    expect(user.active).toBe(false);
    expect((await auditOf(user.id)).map((e) => e.action)).toContain('user.deactivated');
    expect((await pages.get('/')).status).toBe(303);
    // Back in the group: still refused, as someone an administrator deactivated (only an administrator reactivates).
    world.person('sub-pat').groups = ['sso-north-liaison'];
    const again = await ssoSignIn(world, 'sub-pat');
    expect(again.callback.status).toBe(403);
    expect(again.callback.text).toContain('Your account has been deactivated');
  });

  it('an administrator deactivates a single sign-on person at once, and their groups do not bring them back', async () => {
    const { pages } = await ssoSignIn(world, 'sub-dee');
    expect((await pages.get('/')).status).toBe(200);
    const user = await userBy('dee.deactivated@north.example');
    expect((await world.api.adminApi.patch(`/users/${user.id}`, { version: user.version, active: false })).status).toBe(
      200,
    );
    expect((await pages.get('/')).status).toBe(303);
    const again = await ssoSignIn(world, 'sub-dee');
    expect(again.callback.status).toBe(403);
    expect(again.callback.text).toContain('Your account has been deactivated');
    expect(await userBy('dee.deactivated@north.example')).toMatchObject({ active: false, version: user.version + 1 });
  });

  it('back-channel logout from the provider ends every session of the person; a forged token changes nothing', async () => {
    const first = await ssoSignIn(world, 'sub-ben');
    const second = await ssoSignIn(world, 'sub-ben');
    expect((await first.pages.get('/')).status).toBe(200);
    const forged = await fetch(`${world.api.baseUrl}/sign-in/oidc/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'logout_token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJzdWItYmVuIn0.',
    });
    expect(forged.status).toBe(400);
    expect((await second.pages.get('/')).status).toBe(200);
    // A personal API token made on the way (managers allowed): the systems using it are not signed out with the
    // browser.
    const settings = await world.api.adminApi.get('/api-token-settings');
    expect(
      (
        await world.api.adminApi.request('PUT', '/api-token-settings', {
          allowedRoles: ['manager'],
          version: settings.body.version,
        })
      ).status,
    ).toBe(200);
    const made = await second.pages.submit('/account/api-tokens', {
      name: 'Records system',
      scope: 'read-only',
      'expiresOn-day': '',
      'expiresOn-month': '',
      'expiresOn-year': '',
    });
    expect(made.status).toBe(201);
    const token = /fut_[A-Za-z0-9_-]+/.exec(made.text)![0];
    await world.idp.backchannelLogout('sub-ben');
    expect((await first.pages.get('/')).status).toBe(303);
    expect((await second.pages.get('/')).status).toBe(303);
    expect((await world.api.client(token).get('/users/me')).status).toBe(200);
    const user = await userBy('ben.backchannel@north.example');
    expect((await auditOf(user.id)).find((e) => e.action === 'user.signed_out')?.changes).toEqual({
      via: 'identity_provider',
    });
  });

  it('signing out goes on to the provider’s end-session endpoint with the ID token as hint', async () => {
    const { pages } = await ssoSignIn(world, 'sub-ada');
    const out = await pages.submit('/', {}, '/sign-out');
    expect(out.status).toBe(303);
    const to = new URL(out.headers.get('location')!);
    expect(to.origin).toBe(world.idp.issuer);
    expect(to.searchParams.get('post_logout_redirect_uri')).toBe(`${world.api.baseUrl}/sign-in?signedOut=1`);
    expect(to.searchParams.get('id_token_hint')?.split('.')).toHaveLength(3);
    expect((await pages.get('/')).status).toBe(303);
  });

  it('does not join a password account by email: the person is told, and the account stays a password one', async () => {
    const existing = await world.api.createUser('liaison', [north.id]);
    people.push({
      sub: 'sub-clash',
      email: existing.email.toUpperCase(),
      name: 'Clash',
      groups: ['sso-north-liaison'],
    });
    const { callback } = await ssoSignIn(world, 'sub-clash');
    expect(callback.status).toBe(403);
    expect(callback.text).toContain('There is already an account with your email address');
    expect(await userBy(existing.email)).toMatchObject({ id: existing.id, oidc_subject: null, role: 'liaison' });
  });
});

describe('single sign-on with its provider down', () => {
  it('says so (503) rather than failing, and password sign-in is still offered', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const api = await startApi({
      OIDC_ISSUER: nobody,
      OIDC_CLIENT_ID: 'x',
      OIDC_CLIENT_SECRET: 'y',
      OIDC_GROUP_MAP: '{"g":{"role":"admin","forces":"all"}}',
    });
    try {
      const pages = pageClient(api.baseUrl);
      const start = await pages.get('/sign-in/oidc');
      expect(start.status).toBe(503);
      expect(start.text).toContain('Single sign-on is not available right now');
      expect(start.headers.getSetCookie()).toEqual([]);
      const signIn = await pages.get('/sign-in');
      expect(signIn.text).toContain('Sign in with your organisation account');
      expect(signIn.text).toContain('Email address');
    } finally {
      await api.close();
    }
  });
});
