// The webhook sender's guard on a real loopback receiver: private addresses refused (literal and by name, at connect
// time) unless allowed; no redirects; timeout; size cap.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GuardedClient } from '../../apps/worker/src/webhooks/guarded-request.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe('the guarded webhook client', () => {
  let receiver: WebhookReceiver;
  const clients: GuardedClient[] = [];
  const client = (allowPrivate: boolean, extra: Partial<ConstructorParameters<typeof GuardedClient>[0]> = {}) => {
    const made = new GuardedClient({
      allowPrivate,
      httpsOnly: false,
      timeoutMs: 2000,
      maxResponseBytes: 1024,
      ...extra,
    });
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await receiver.close();
  });

  it('never reaches a loopback address when private addresses are not allowed, written as an address or as a name', async () => {
    const literal = await client(false).post(`${receiver.url}/literal`, '{}', {});
    expect(literal).toMatchObject({ statusCode: null, permanent: true });
    expect(literal.error).toMatch(/127\.0\.0\.1 is not a public address/);
    // A name goes through the agent's lookup, which checks the address it is about to connect to.
    const named = await client(false).post(`http://localhost:${receiver.port}/named`, '{}', {});
    expect(named).toMatchObject({ statusCode: null, permanent: true });
    expect(named.error).toMatch(/not a public address/);
    const mapped = await client(false).post(`http://[::ffff:127.0.0.1]:${receiver.port}/mapped`, '{}', {});
    expect(mapped.permanent).toBe(true);
    expect(receiver.received.filter((r) => ['/literal', '/named', '/mapped'].includes(r.path))).toEqual([]);
  });

  it('reaches it when allowed, and refuses plain http when https is required', async () => {
    expect(await client(true).post(`http://localhost:${receiver.port}/ok`, '{}', {})).toMatchObject({
      statusCode: 204,
      error: null,
    });
    expect(await client(true, { httpsOnly: true }).post(`${receiver.url}/plain`, '{}', {})).toMatchObject({
      statusCode: null,
      permanent: true,
    });
    expect(receiver.received.filter((r) => r.path === '/plain')).toEqual([]);
  });

  it('does not follow redirects, caps the response it reads, and gives up after the timeout', async () => {
    receiver.on('/redirect', () => ({ status: 307, headers: { location: `${receiver.url}/elsewhere` } }));
    receiver.on('/big', () => ({ status: 200, body: 'x'.repeat(100_000) }));
    expect((await client(true).post(`${receiver.url}/redirect`, '{}', {})).statusCode).toBe(307);
    expect(receiver.received.filter((r) => r.path === '/elsewhere')).toEqual([]);
    const big = await client(true).post(`${receiver.url}/big`, '{}', {});
    expect(big.statusCode).toBe(200);
    expect(big.error).toMatch(/larger than 1024 bytes/);
    const { createServer } = await import('node:http');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const slow = await client(true, { timeoutMs: 300 }).post(`http://127.0.0.1:${port}/`, '{}', {});
    silent.closeAllConnections();
    silent.close();
    expect(slow).toMatchObject({ statusCode: null, permanent: false });
    expect(slow.error).toMatch(/no answer within 300 ms/);
  });
});
