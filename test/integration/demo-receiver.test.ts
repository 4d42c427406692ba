// npm start's demo webhook receiver: shows each delivery the real worker signs, checked with the subscription's secret,
// repeats marked.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { startDemoReceiver, type DemoReceiver } from '../../scripts/demo-receiver.js';
import { signedHeaders } from '../../apps/worker/src/webhooks/webhook-delivery.service.js';
import { newWebhookSecret } from '../../libs/application/src/index.js';

describe('the demo webhook receiver', () => {
  let receiver: DemoReceiver;
  beforeAll(async () => {
    receiver = await startDemoReceiver();
  });
  afterAll(() => receiver.close());

  const post = (body: string, headers: Record<string, string>) =>
    fetch(receiver.hookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('lists deliveries newest first, with their signature checked and repeats marked, on a page without script', async () => {
    const secret = newWebhookSecret();
    receiver.setSecret(secret);
    const body = JSON.stringify({
      type: 'recommendation.transitioned',
      timestamp: new Date().toISOString(),
      data: {
        summary: 'Recommendation 4 of PEEL: issued → plan submitted',
        link: 'http://localhost:3000/recommendations/x',
      },
    });
    const headers = signedHeaders('delivery-1', new Date(), body, [secret]);
    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect((await post(body, headers)).status).toBe(204);
    expect((await post(body, headers)).status).toBe(204);
    expect((await post(body, signedHeaders('delivery-2', new Date(), body, [newWebhookSecret()]))).status).toBe(204);
    expect(receiver.deliveries.map((d) => [d.id, d.verified, d.duplicate])).toEqual([
      ['delivery-1', true, false],
      ['delivery-1', true, true],
      ['delivery-2', false, false],
    ]);
    const html = await (await fetch(receiver.url)).text();
    expect(html).toContain('Recommendation 4 of PEEL: issued → plan submitted');
    expect(html).toContain('a repeat (dropped)');
    expect(html).toContain('Signature wrong');
    expect(html).not.toContain('<script');
  });
});
