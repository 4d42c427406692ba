// `npm start`'s public port (scripts/http-relay.ts) in front of the production API process: a client cannot name its
// own address in X-Forwarded-For and so escape the per-address login limit.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openRelay, relayedHeaders } from '../../scripts/http-relay.js';
import { TEST_REDIS_URL, startApi, type RunningApi } from '../support/api-harness.js';
import { freePort, startApiProcess, stopApiProcess, type ApiProcess } from '../support/api-process.js';
import { killAllWorkers } from '../support/worker-process.js';

const PER_ADDRESS = 3;

describe("npm start's relay", () => {
  let api: RunningApi;
  let proc: ApiProcess;
  let relay: Server;
  let relayUrl: string;

  beforeAll(async () => {
    api = await startApi();
    proc = await startApiProcess('relayed', {
      DATABASE_URL: api.dbUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: api.queuePrefix,
      LOGIN_MAX_FAILURES: String(PER_ADDRESS),
      LOGIN_ACCOUNT_MAX_FAILURES: '1000',
      TRUST_PROXY: 'loopback',
    });
    const port = await freePort();
    relay = await openRelay(port, Number(new URL(proc.baseUrl).port), '127.0.0.1');
    relayUrl = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    await new Promise((resolve) => relay?.close(resolve));
    await stopApiProcess(proc);
    await killAllWorkers();
    await api?.close();
  });

  it('replaces whatever the client says about itself with the address it came from', () => {
    const headers = relayedHeaders(
      {
        host: 'x',
        'x-forwarded-for': '203.0.113.9',
        forwarded: 'for=203.0.113.9',
        'x-forwarded-proto': 'https',
        'x-real-ip': '1.2.3.4',
      },
      '127.0.0.1',
    );
    expect(headers).toEqual({ host: 'x', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http' });
  });

  it('holds the per-address login limit however many addresses the client claims', async () => {
    const victim = await api.createUser('manager');
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 3; i++) {
      const response = await fetch(`${relayUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
        body: JSON.stringify({ email: victim.email, password: `wrong-${i}` }),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array<number>(PER_ADDRESS).fill(401), 429, 429, 429]);
  });

  it('relays pages, redirects and cookies unchanged, and says HTTP even when the client claims HTTPS', async () => {
    const form = await fetch(`${relayUrl}/sign-in`, { headers: { accept: 'text/html', 'x-forwarded-proto': 'https' } });
    expect(form.status).toBe(200);
    expect(form.headers.get('strict-transport-security')).toBeNull();
    expect(form.headers.getSetCookie()[0]).toMatch(/^followup\.form=.*; HttpOnly; SameSite=Strict$/);
    const redirect = await fetch(`${relayUrl}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([303, '/sign-in']);
    const health = await fetch(`${relayUrl}/health`);
    expect([health.status, ((await health.json()) as { status: string }).status]).toEqual([200, 'ok']);
  });
});
