// Single sign-on under attack, against real OpenID providers on loopback: a wrong state or nonce, ID tokens from
// another issuer or for another audience, a second provider's code, groups that map to nothing, and organisations that
// sign in only with single sign-on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startIdentityProvider, type DemoPerson, type IdentityProvider } from '../../scripts/demo-identity-provider.js';
import { TEST_PASSWORD, type Organisation } from '../support/api-harness.js';
import { pageClient } from '../support/page-client.js';
import {
  SSO_CLIENT_ID,
  SSO_CLIENT_SECRET,
  ssoSignIn,
  startSsoWorld,
  throughProvider,
  type SsoWorld,
} from '../support/sso-world.js';

const people: DemoPerson[] = [
  { sub: 'sub-vic', email: 'vic.victim@north.example', name: 'Vic Victim', groups: ['sso-north-liaison'] },
  { sub: 'sub-nobody', email: 'no.groups@north.example', name: 'No Groups', groups: ['everyone', 'sso-North-Liaison'] },
];

describe('single sign-on: refused answers', () => {
  let world: SsoWorld;
  let other: IdentityProvider;
  let db: pg.Client;
  let _north: Organisation;

  beforeAll(async () => {
    world = await startSsoWorld(people);
    // A second, real provider that knows the same client id and secret and the same people (a rogue or misdirected
    // one).
    other = await startIdentityProvider({
      people,
      clientId: SSO_CLIENT_ID,
      clientSecret: SSO_CLIENT_SECRET,
      redirectUris: [`${world.api.baseUrl}/sign-in/oidc/callback`],
      backchannelLogoutUri: `${world.api.baseUrl}/sign-in/oidc/backchannel-logout`,
    });
    db = new pg.Client({ connectionString: world.api.dbUrl });
    await db.connect();
    _north = await world.api.createOrganisation({ name: 'North Police', code: 'SSO-NORTH' });
  });

  afterAll(async () => {
    await db?.end();
    await other?.close();
    await world?.close();
  });

  const accounts = async () =>
    (await db.query(`SELECT count(*)::int AS n FROM users WHERE oidc_subject IS NOT NULL`)).rows[0].n;
  /** The callback refused with the "could not be signed in" page, nobody signed in, no account made. */
  const expectRefused = async (
    result: Awaited<ReturnType<typeof ssoSignIn>>,
    heading = 'Sorry, you could not be signed in',
    status = 400,
  ) => {
    expect(result.callback.status).toBe(status);
    expect(result.callback.text).toContain(heading);
    expect(result.callback.headers.getSetCookie().some((c) => c.startsWith('followup.sid='))).toBe(false);
    expect((await result.pages.get('/')).status).toBe(303);
    expect(await accounts()).toBe(0);
  };

  it('refuses a callback whose state is not the one sent', async () => {
    await expectRefused(
      await ssoSignIn(world, 'sub-vic', {
        alter: (url) => (url.searchParams.set('state', 'forged-state-value-0123456789'), url),
      }),
    );
  });

  it('refuses a callback with no sign-in begun in this browser (a link sent to a victim: login CSRF)', async () => {
    const attacker = await ssoSignIn(world, 'sub-vic', { alter: (url) => url });
    expect(attacker.callback.status).toBe(303);
    await db.query(`DELETE FROM users WHERE oidc_subject IS NOT NULL`);
    const start = await pageClient(world.api.baseUrl).get('/sign-in/oidc');
    const back = await throughProvider(world.idp, start.headers.get('location')!, 'sub-vic');
    const victim = pageClient(world.api.baseUrl);
    const callback = await victim.get(`${back.pathname}${back.search}`);
    await expectRefused({ pages: victim, callback }, 'Your sign-in has expired');
  });

  it('refuses an ID token whose nonce is not the one sent (a replayed token)', async () => {
    world.idp.tamper = (claims) => ({ ...claims, nonce: 'replayed-nonce-from-another-sign-in' });
    try {
      await expectRefused(await ssoSignIn(world, 'sub-vic'));
    } finally {
      world.idp.tamper = null;
    }
  });

  it('refuses a validly signed ID token from another issuer', async () => {
    world.idp.tamper = (claims) => ({ ...claims, iss: other.issuer });
    try {
      await expectRefused(await ssoSignIn(world, 'sub-vic'));
    } finally {
      world.idp.tamper = null;
    }
  });

  it('refuses a validly signed ID token for another audience (another client of the same provider)', async () => {
    world.idp.tamper = (claims) => ({ ...claims, aud: 'some-other-client', azp: 'some-other-client' });
    try {
      await expectRefused(await ssoSignIn(world, 'sub-vic'));
    } finally {
      world.idp.tamper = null;
    }
  });

  it('refuses a code from a second provider, even with the same client and the state of this sign-in', async () => {
    const pages = pageClient(world.api.baseUrl);
    const start = await pages.get('/sign-in/oidc');
    const ours = new URL(start.headers.get('location')!);
    const theirs = new URL(`${ours.pathname}${ours.search}`, other.issuer);
    const back = await throughProvider(other, theirs.href, 'sub-vic');
    expect(back.searchParams.get('iss')).toBe(other.issuer);
    await expectRefused({ pages, callback: await pages.get(`${back.pathname}${back.search}`) });
    // Without the `iss` parameter, the code still fails at this service's own provider.
    const again = pageClient(world.api.baseUrl);
    const start2 = await again.get('/sign-in/oidc');
    const ours2 = new URL(start2.headers.get('location')!);
    const back2 = await throughProvider(
      other,
      new URL(`${ours2.pathname}${ours2.search}`, other.issuer).href,
      'sub-vic',
    );
    back2.searchParams.delete('iss');
    await expectRefused({ pages: again, callback: await again.get(`${back2.pathname}${back2.search}`) });
  });

  it('refuses groups that map to nothing (names are matched exactly, case included)', async () => {
    await expectRefused(await ssoSignIn(world, 'sub-nobody'), 'You do not have access to Follow-up Tracker', 403);
  });

  it('refuses a back-channel logout token signed by another provider, and one that is not a logout token', async () => {
    const { pages } = await ssoSignIn(world, 'sub-vic');
    const post = (token: string) =>
      fetch(`${world.api.baseUrl}/sign-in/oidc/backchannel-logout`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }),
      });
    // A real logout token for the same person and client, but from the other provider: the provider hears 400.
    await expect(other.backchannelLogout('sub-vic')).rejects.toThrow(/expected 200 OK/);
    expect((await pages.get('/')).status).toBe(200);
    // An ID token of this very provider, for this client, is signed right but is no logout token.
    world.idp.tamper = (claims) => claims;
    await ssoSignIn(world, 'sub-vic');
    world.idp.tamper = null;
    expect((await post(world.idp.lastTamperedToken!)).status).toBe(400);
    expect((await post('not-a-jwt')).status).toBe(400);
    expect((await post('')).status).toBe(400);
    expect((await pages.get('/')).status).toBe(200);
    await db.query(`DELETE FROM users WHERE oidc_subject IS NOT NULL`);
  });
});

describe('organisations that sign in only with single sign-on', () => {
  let world: SsoWorld;
  let db: pg.Client;

  beforeAll(async () => {
    world = await startSsoWorld([]);
    db = new pg.Client({ connectionString: world.api.dbUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await world?.close();
  });

  it('refuses password sign-in, reset links and invitations for its people once an administrator sets it, and audits the change', async () => {
    const force = await world.api.createOrganisation({ code: 'SSO-ONLY' });
    const liaison = await world.api.createUser('liaison', [force.id]);
    const admin = pageClient(world.api.baseUrl);
    await admin.submit('/sign-in', { email: world.api.admin.email, password: world.api.admin.password });
    const page = await admin.get(`/admin/organisations/${force.id}/sign-in`);
    expect(page.text).toContain('Only with their organisation account (single sign-on)');
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const saved = await admin.submit(`/admin/organisations/${force.id}/sign-in`, { ssoOnly: 'yes', version });
    expect(saved.status).toBe(303);
    const [event] = (
      await db.query(
        `SELECT changes, actor_id FROM audit_events WHERE entity_id = $1 AND action = 'organisation.sso_only_changed'`,
        [force.id],
      )
    ).rows;
    expect(event).toMatchObject({ actor_id: world.api.admin.id, changes: { ssoOnly: { from: false, to: true } } });
    // A stale form changes nothing.
    const stale = await admin.submit(`/admin/organisations/${force.id}/sign-in`, { ssoOnly: 'no', version });
    expect(stale.status).toBe(409);
    expect((await db.query(`SELECT sso_only FROM organisations WHERE id = $1`, [force.id])).rows[0].sso_only).toBe(
      true,
    );

    // Password sign-in: the API and the page, with the right password, refused and saying why.
    expect((await world.api.login(liaison.email, TEST_PASSWORD)).status).toBe(403);
    const form = await pageClient(world.api.baseUrl).submit('/sign-in', {
      email: liaison.email,
      password: TEST_PASSWORD,
    });
    expect(form.status).toBe(403);
    expect(form.text).toContain('Your organisation signs in with single sign-on only');
    // A wrong password says only that it is wrong.
    expect((await world.api.login(liaison.email, 'not-the-password-at-all')).status).toBe(401);

    // Forgotten password: the same answer as for anyone, and no link made.
    const reset = await world.api.client().post('/auth/forgotten-password', { email: liaison.email });
    expect(reset.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM account_links WHERE user_id = $1`, [liaison.id])).rows[0].n,
    ).toBe(0);

    // Invitations and password accounts in it are refused, naming the field.
    const invited = await world.api.adminApi.post('/users', {
      email: 'new.person@sso-only.example',
      name: 'New Person',
      role: 'liaison',
      organisationIds: [force.id],
    });
    expect(invited.status).toBe(409);
    expect(JSON.stringify(invited.body)).toContain('organisationIds');
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'new.person@sso-only.example'`)).rows[0].n,
    ).toBe(0);
  });

  it('an invitation sent before the organisation became single sign-on only no longer sets a password', async () => {
    const force = await world.api.createOrganisation({ code: 'SSO-LATER' });
    const created = await world.api.adminApi.post('/users', {
      email: 'late@sso-later.example',
      name: 'Late Invitee',
      role: 'liaison',
      organisationIds: [force.id],
    });
    expect(created.status).toBe(201);
    const org = (await db.query(`SELECT version FROM organisations WHERE id = $1`, [force.id])).rows[0];
    const admin = pageClient(world.api.baseUrl);
    await admin.submit('/sign-in', { email: world.api.admin.email, password: world.api.admin.password });
    expect(
      (await admin.submit(`/admin/organisations/${force.id}/sign-in`, { ssoOnly: 'yes', version: String(org.version) }))
        .status,
    ).toBe(303);
    const resend = await world.api.adminApi.post(`/users/${created.body.id}/invitation`);
    expect(resend.status).toBe(409);
    expect(
      (
        await db.query(
          `SELECT count(*)::int AS n FROM account_links WHERE user_id = $1 AND revoked_at IS NULL AND used_at IS NULL`,
          [created.body.id],
        )
      ).rows[0].n,
    ).toBe(1);
  });
});
