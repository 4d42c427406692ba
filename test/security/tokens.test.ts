// Bearer tokens an attacker might try, each exactly a 401: unsigned, wrongly signed, expired, and for people who are
// gone.
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { startApi, type RunningApi, type TestUser, type Organisation } from '../support/api-harness.js';

const SECRET = randomBytes(32).toString('hex');
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with these claims, signed with HMAC-SHA256 under `key`, or unsigned when `key` is null (alg: none). */
function token(claims: Record<string, unknown>, key: string | null): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: key === null ? 'none' : 'HS256', typ: 'JWT' })}.${b64({ iat: now, exp: now + 3600, ep: 0, ...claims })}`;
  return `${body}.${key === null ? '' : createHmac('sha256', key).update(body).digest('base64url')}`;
}

describe('tokens', () => {
  let api: RunningApi;
  let db: pg.Client;
  let liaison: TestUser;
  let org: Organisation;

  beforeAll(async () => {
    api = await startApi({ JWT_SECRET: SECRET });
    db = new pg.Client({ connectionString: api.dbUrl });
    await db.connect();
    org = await api.createOrganisation();
    liaison = await api.createUser('liaison', [org.id]);
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  /** Exactly 401, in the contract's error shape, on a route for everyone and on an administrator's route. */
  const expectRefused = async (bearer: string): Promise<void> => {
    for (const path of ['/users/me', '/users']) {
      const response = await api.client(bearer).get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.body).toMatchObject({ statusCode: 401, message: expect.any(String) });
    }
  };

  it('accepts a token made the way the server makes them (the control for the cases below)', async () => {
    const good = token({ sub: api.admin.id, role: 'admin' }, SECRET);
    expect((await api.client(good).get('/users')).status).toBe(200);
  });

  it('refuses alg: none, whatever it claims', async () => {
    await expectRefused(token({ sub: api.admin.id, role: 'admin' }, null));
    // The same, with a signature left on.
    await expectRefused(
      `${token({ sub: api.admin.id, role: 'admin' }, null)}${createHmac('sha256', SECRET).update('x').digest('base64url')}`,
    );
  });

  it('refuses a token signed with another key', async () => {
    await expectRefused(token({ sub: api.admin.id, role: 'admin' }, randomBytes(32).toString('hex')));
  });

  it('refuses an expired token, and one not yet valid', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    await expectRefused(token({ sub: api.admin.id, role: 'admin', iat: past, exp: past + 3600 }, SECRET));
    await expectRefused(token({ sub: api.admin.id, role: 'admin', nbf: Math.floor(Date.now() / 1000) + 3600 }, SECRET));
  });

  it('refuses a well-signed token whose subject is not a user id, or names nobody', async () => {
    await expectRefused(token({ sub: "' OR 1=1 --", role: 'admin' }, SECRET));
    await expectRefused(token({ sub: '00000000-0000-4000-8000-000000000000', role: 'admin' }, SECRET));
  });

  it('refuses the token of a deactivated user, at once', async () => {
    const user = await api.createUser('manager');
    expect((await user.api.get('/users/me')).status).toBe(200);
    expect((await api.adminApi.patch(`/users/${user.id}`, { version: user.version, active: false })).status).toBe(200);
    await expectRefused(user.token);
  });

  it('refuses the token of a deleted user', async () => {
    const user = await api.createUser('inspector');
    expect((await user.api.get('/users/me')).status).toBe(200);
    await db.query(`DELETE FROM users WHERE id = $1`, [user.id]);
    await expectRefused(user.token);
  });

  it('refuses a token from before its user signed out, and one that claims a later epoch', async () => {
    const user = await api.createUser('inspector');
    expect((await user.api.post('/auth/logout')).status).toBe(204);
    await expectRefused(user.token);
    await expectRefused(token({ sub: user.id, role: 'inspector', ep: 99 }, SECRET));
  });

  it('takes the role from the database, not from the token', async () => {
    const claimsAdmin = token({ sub: liaison.id, role: 'admin' }, SECRET);
    expect((await api.client(claimsAdmin).get('/users')).status).toBe(403);
  });
});
