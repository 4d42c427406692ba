// Single sign-on across API processes: the sign-in in flight lives in its sealed cookie, not in a process's memory, so
// one process can finish what another began (needs `npm run build`).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DemoPerson } from '../../scripts/demo-identity-provider.js';
import { startApiProcess, stopApiProcess, type ApiProcess } from '../support/api-process.js';
import { TEST_REDIS_URL } from '../support/api-harness.js';
import {
  SSO_CLIENT_ID,
  SSO_CLIENT_SECRET,
  SSO_GROUP_MAP,
  startSsoWorld,
  throughProvider,
  type SsoWorld,
} from '../support/sso-world.js';

const people: DemoPerson[] = [
  { sub: 'p-two', email: 'two.processes@north.example', name: 'Two Processes', groups: ['sso-north-liaison'] },
];
const cookiesOf = (response: Response) => response.headers.getSetCookie().map((c) => c.split(';')[0]);

describe('single sign-on across two API processes', () => {
  let world: SsoWorld;
  let first: ApiProcess | undefined;
  let second: ApiProcess | undefined;

  beforeAll(async () => {
    world = await startSsoWorld(people);
    await world.api.createOrganisation({ name: 'North Police', code: 'SSO-NORTH' });
    // Both processes answer for the same address (APP_BASE_URL, the redirect URI registered at the provider).
    const env = {
      DATABASE_URL: world.api.dbUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: world.api.queuePrefix,
      APP_BASE_URL: world.api.baseUrl,
      OIDC_ISSUER: world.idp.issuer,
      OIDC_CLIENT_ID: SSO_CLIENT_ID,
      OIDC_CLIENT_SECRET: SSO_CLIENT_SECRET,
      OIDC_GROUP_MAP: JSON.stringify(SSO_GROUP_MAP),
    };
    [first, second] = await Promise.all([startApiProcess('sso-1', env), startApiProcess('sso-2', env)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopApiProcess(first), stopApiProcess(second)]);
    await world?.close();
  });

  it('begins on one process, finishes on the other, and the session works on both', async () => {
    const start = await fetch(`${first!.baseUrl}/sign-in/oidc`, {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect(start.status).toBe(303);
    const transaction = cookiesOf(start).find((c) => c.startsWith('followup.oidc='))!;
    const back = await throughProvider(world.idp, start.headers.get('location')!, 'p-two');
    const callback = await fetch(`${second!.baseUrl}${back.pathname}${back.search}`, {
      headers: { accept: 'text/html', cookie: transaction },
      redirect: 'manual',
    });
    expect(callback.status).toBe(303);
    const session = cookiesOf(callback).find((c) => c.startsWith('followup.sid='))!;
    expect(session).toBeDefined();
    for (const api of [first!, second!]) {
      const home = await fetch(`${api.baseUrl}/`, {
        headers: { accept: 'text/html', cookie: session },
        redirect: 'manual',
      });
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('Two Processes');
    }
    // The same answer again, cookie and all, is refused: the provider takes each code once.
    const replay = await fetch(`${first!.baseUrl}${back.pathname}${back.search}`, {
      headers: { accept: 'text/html', cookie: transaction },
      redirect: 'manual',
    });
    expect(replay.status).toBe(400);
  });
});
