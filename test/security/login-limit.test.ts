// The login limit under attack: 100 wrong passwords at once, an attack spread over many addresses, and two API
// processes sharing Redis.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_PASSWORD, TEST_REDIS_URL, startApi, type RunningApi } from '../support/api-harness.js';
import { startApiProcess } from '../support/api-process.js';
import { killAllWorkers } from '../support/worker-process.js';

const PER_ADDRESS = 5;
const PER_ACCOUNT = 12;
const ATTEMPTS = 100;

/** POST /auth/login at `baseUrl`, as the client `forwardedFor` when given (the API trusts its loopback proxy). */
async function login(baseUrl: string, email: string, password: string, forwardedFor?: string): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email, password }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** How many attempts answered each status. */
function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

describe('login limit', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ LOGIN_MAX_FAILURES: String(PER_ADDRESS), LOGIN_ACCOUNT_MAX_FAILURES: String(PER_ACCOUNT) });
  });

  afterAll(async () => {
    await killAllWorkers();
    await api?.close();
  });

  it(`lets at most LOGIN_MAX_FAILURES of ${ATTEMPTS} parallel wrong passwords reach the password check`, async () => {
    const victim = await api.createUser('manager');
    const statuses = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) => login(api.baseUrl, victim.email, `wrong-password-${i}`)),
    );
    expect(tally(statuses)).toEqual({ 401: PER_ADDRESS, 429: ATTEMPTS - PER_ADDRESS });
    // The right password now is refused too: otherwise the answer would tell the attacker it was right.
    expect(await login(api.baseUrl, victim.email, TEST_PASSWORD)).toBe(429);
  });

  it('holds an attack spread over many addresses with the per-account limit', async () => {
    const victim = await api.createUser('manager');
    const statuses = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        login(api.baseUrl, victim.email, `wrong-password-${i}`, `203.0.113.${i + 1}`),
      ),
    );
    expect(tally(statuses)).toEqual({ 401: PER_ACCOUNT, 429: ATTEMPTS - PER_ACCOUNT });
    expect(await login(api.baseUrl, victim.email, TEST_PASSWORD, '198.51.100.7')).toBe(429);
    // Another account from those addresses is not held back.
    const other = await api.createUser('manager');
    expect(await login(api.baseUrl, other.email, TEST_PASSWORD, '203.0.113.1')).toBe(200);
  });

  it('does not count a correct password against anyone', async () => {
    const user = await api.createUser('manager');
    const statuses = await Promise.all(
      Array.from({ length: PER_ADDRESS * 3 }, () => login(api.baseUrl, user.email, TEST_PASSWORD)),
    );
    // Correct passwords at once may briefly hold the allowance, never use it up.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(PER_ADDRESS);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(await login(api.baseUrl, user.email, TEST_PASSWORD)).toBe(200);
    for (let i = 0; i < PER_ADDRESS; i++) expect(await login(api.baseUrl, user.email, `wrong-password-${i}`)).toBe(401);
    expect(await login(api.baseUrl, user.email, 'wrong-password-x')).toBe(429);
  });

  it('holds across two API processes sharing Redis, for POST /auth/login and the queue dashboard alike', async () => {
    const env = {
      DATABASE_URL: api.dbUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: api.queuePrefix,
      LOGIN_MAX_FAILURES: String(PER_ADDRESS),
      // Out of the way: two Redis connections may order the two allowances' counts differently, and this
      // case is about the per-address allowance being one across processes.
      LOGIN_ACCOUNT_MAX_FAILURES: '1000',
    };
    const [first, second] = await Promise.all([startApiProcess('api-1', env), startApiProcess('api-2', env)]);
    const victim = await api.createUser('manager');
    const statuses = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        login(i % 2 === 0 ? first.baseUrl : second.baseUrl, victim.email, `wrong-password-${i}`),
      ),
    );
    expect(tally(statuses)).toEqual({ 401: PER_ADDRESS, 429: ATTEMPTS - PER_ADDRESS });
    expect(await login(first.baseUrl, victim.email, TEST_PASSWORD)).toBe(429);
    expect(await login(second.baseUrl, victim.email, TEST_PASSWORD)).toBe(429);

    // The queue dashboard's Basic login on one process and POST /auth/login on the other draw on one allowance.
    const admin = await api.createUser('admin');
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`${admin.email}:${password}`).toString('base64')}`,
    });
    const mixed = await Promise.all(
      Array.from({ length: ATTEMPTS }, async (_, i) => {
        if (i % 2 === 0) return login(first.baseUrl, admin.email, `wrong-password-${i}`);
        const response = await fetch(`${second.baseUrl}/admin/queues/api/queues`, {
          headers: basic(`wrong-password-${i}`),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(tally(mixed)).toEqual({ 401: PER_ADDRESS, 429: ATTEMPTS - PER_ADDRESS });
    const dashboard = await fetch(`${second.baseUrl}/admin/queues/api/queues`, { headers: basic(TEST_PASSWORD) });
    expect(dashboard.status).toBe(429);
  }, 120_000);
});
