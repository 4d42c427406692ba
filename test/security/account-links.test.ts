// Invitation and reset links against the real API, worker and SMTP server: only hashes stored, single use, expiry,
// tampering, replacement, enumeration.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { TEST_PASSWORD } from '../support/api-harness.js';
import { formClient } from '../support/form-client.js';
import { startIdentityWorld, type IdentityWorld } from '../support/identity-world.js';

const NEW_PASSWORD = 'lantern orbit marmalade quay';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

describe('one-time account links', () => {
  let world: IdentityWorld;
  let db: pg.Client;

  beforeAll(async () => {
    world = await startIdentityWorld({ RESET_TTL: 'PT3S', RESET_MAX_REQUESTS: '3' });
    db = new pg.Client({ connectionString: world.api.dbUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await world?.close();
  });

  const invite = async (name = 'Invited Person') => {
    const email = `invited-${unique()}@links.test`;
    const created = await world.api.adminApi.post('/users', { email, name, role: 'inspector', organisationIds: [] });
    expect(created.status).toBe(201);
    return { id: created.body.id as string, email, version: created.body.version as number };
  };
  /**
   * Posts the set-password form to `path`, with a CSRF token from a page that has a form even when the link's page has
   * none.
   */
  const setPassword = async (path: string, password: string, confirm = password) => {
    const client = formClient(world.api.baseUrl);
    await client.get('/forgotten-password');
    return client.post(path, { newPassword: password, confirmPassword: confirm });
  };

  it('invites without a password: the email explains the service and holds a link whose token is stored only as a hash', async () => {
    const person = await invite();
    expect((await world.api.login(person.email, TEST_PASSWORD)).status).toBe(401);
    const { message, token } = await world.linkEmail(person.email, 'invitation');
    expect(message.subject).toBe('Your Follow-up Tracker account: choose your password');
    expect(message.text).toContain('keep track of the recommendations from inspection reports');
    expect(message.text).toContain(`${world.api.baseUrl}/sign-in`);
    const rows = (
      await db.query(`SELECT token_hash, purpose, sent_at FROM account_links WHERE user_id = $1`, [person.id])
    ).rows;
    expect(rows).toEqual([{ token_hash: sha256(token), purpose: 'invitation', sent_at: expect.any(Date) }]);
    const everywhere = await db.query(
      `SELECT count(*)::int AS n FROM account_links, audit_events WHERE account_links::text LIKE $1 OR audit_events::text LIKE $1`,
      [`%${token}%`],
    );
    expect(everywhere.rows[0].n).toBe(0);
  });

  it('sets the password once: refuses a mismatch and a common password (the link still works), then the link is used up', async () => {
    const person = await invite();
    const { path } = await world.linkEmail(person.email, 'invitation');
    const page = await formClient(world.api.baseUrl).get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Choose your password');
    const mismatch = await setPassword(path, NEW_PASSWORD, `${NEW_PASSWORD}x`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('The passwords do not match');
    const common = await setPassword(path, 'password1234');
    expect(common.status).toBe(400);
    expect(common.text).toContain('Password is too easy to guess');
    expect((await world.api.login(person.email, 'password1234')).status).toBe(401);

    const saved = await setPassword(path, NEW_PASSWORD);
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Your password has been saved');
    expect((await world.api.login(person.email, NEW_PASSWORD)).status).toBe(200);

    // Reuse: the page says so, and a second password is not taken.
    const again = await formClient(world.api.baseUrl).get(path);
    expect(again.status).toBe(410);
    expect(again.text).toContain('This link has already been used');
    expect(again.text).toContain('ask the administrator who added you');
    expect((await setPassword(path, 'another fine long password')).status).toBe(410);
    expect((await world.api.login(person.email, 'another fine long password')).status).toBe(401);
    expect(
      (
        await db.query(`SELECT action FROM audit_events WHERE entity_id = $1 AND action = 'user.password_set'`, [
          person.id,
        ])
      ).rowCount,
    ).toBe(1);
  });

  it('refuses a tampered, truncated or other-purpose token with the same page, changing nothing', async () => {
    const person = await invite();
    const { token } = await world.linkEmail(person.email, 'invitation');
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const path of [
      `/invitations/${flipped}`,
      `/invitations/${token.slice(1)}`,
      `/reset-password/${token}`,
      `/invitations/${token}%27--`,
    ]) {
      const answer = await formClient(world.api.baseUrl).get(path);
      expect([path, answer.status]).toEqual([path, 410]);
      expect(answer.text).toContain('This link does not work');
      expect((await setPassword(path, NEW_PASSWORD)).status).toBe(410);
    }
    expect((await world.api.login(person.email, NEW_PASSWORD)).status).toBe(401);
    expect((await formClient(world.api.baseUrl).get(`/invitations/${token}`)).status).toBe(200);
  });

  it('resend replaces the link and revoke ends it (administrators only); each is audited', async () => {
    const person = await invite();
    const first = await world.linkEmail(person.email, 'invitation');
    const other = await world.api.createUser('inspector');
    expect((await other.api.post(`/users/${person.id}/invitation`)).status).toBe(403);
    expect((await world.api.adminApi.post(`/users/${person.id}/invitation`)).status).toBe(202);
    const second = await world.linkEmail(person.email, 'invitation', 2);
    expect(second.token).not.toBe(first.token);
    expect((await formClient(world.api.baseUrl).get(first.path)).status).toBe(410);
    expect((await formClient(world.api.baseUrl).get(second.path)).status).toBe(200);
    expect((await world.api.adminApi.request('DELETE', `/users/${person.id}/invitation`)).status).toBe(204);
    expect((await formClient(world.api.baseUrl).get(second.path)).status).toBe(410);
    expect((await world.api.adminApi.request('DELETE', `/users/${person.id}/invitation`)).status).toBe(409);
    const actions = (
      await db.query(`SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY seq`, [person.id])
    ).rows.map((r) => r.action);
    expect(actions).toEqual(['user.created', 'user.invitation_sent', 'user.invitation_revoked']);
    // Someone with a password is not invited again.
    expect((await world.api.adminApi.post(`/users/${other.id}/invitation`)).status).toBe(409);
  });

  it('answers a reset request the same, at the same speed, whether or not the address has an account', async () => {
    const known = await world.api.createUser('liaison', [(await world.api.createOrganisation()).id]);
    const times = { known: [] as number[], unknown: [] as number[] };
    const bodies = new Set<string>();
    for (let i = 0; i < 3; i++) {
      for (const [which, email] of [
        ['known', known.email],
        ['unknown', `nobody-${unique()}@links.test`],
      ] as const) {
        const started = performance.now();
        const answer = await world.api.client(null).post('/auth/forgotten-password', { email });
        times[which].push(performance.now() - started);
        expect(answer.status).toBe(202);
        bodies.add(JSON.stringify(answer.body));
      }
    }
    expect(bodies.size).toBe(1);
    // The quickest of each: a loaded machine only ever adds time, so the quickest shows the work each answer does.
    expect(Math.abs(Math.min(...times.known) - Math.min(...times.unknown))).toBeLessThan(25);
    await world.linkEmail(known.email, 'password_reset');
    // The page says the same for both.
    const page = (email: string) => formClient(world.api.baseUrl).submit('/forgotten-password', { email });
    const [a, b] = await Promise.all([page(`other-${unique()}@links.test`), page(`else-${unique()}@links.test`)]);
    const same = (text: string) =>
      text
        .replace(/[^\s]+@links\.test/g, 'X')
        .replace(/nonce="[^"]+"/g, '')
        .replace(/name="_csrf" value="[^"]+"/g, '');
    expect(same(a.text)).toBe(same(b.text));
    expect(a.text).toContain('Check your email');
  });

  it('limits reset requests per address whether or not it has an account (429 after RESET_MAX_REQUESTS)', async () => {
    const email = `limited-${unique()}@links.test`;
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await world.api.client(null).post('/auth/forgotten-password', { email })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect((await world.api.client(null).post('/auth/forgotten-password', { email: 'not-an-email' })).status).toBe(400);
  });

  it('a reset link expires after RESET_TTL and says how to get a new one', async () => {
    const person = await world.api.createUser('inspector');
    expect((await world.api.client(null).post('/auth/forgotten-password', { email: person.email })).status).toBe(202);
    const { path } = await world.linkEmail(person.email, 'password_reset');
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    const expired = await formClient(world.api.baseUrl).get(path);
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('This link has expired');
    expect(expired.text).toContain('/forgotten-password');
    expect((await setPassword(path, NEW_PASSWORD)).status).toBe(410);
    expect((await world.api.login(person.email, TEST_PASSWORD)).status).toBe(200);
  });
});
