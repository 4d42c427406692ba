// Fault: SIGTERM to the production worker process while its dispatch jobs are sending. It finishes the
// round in hand and records it (nothing left `sending`), exits 0, and the next worker sends the rest:
// every notice once.
import { describe, expect, it } from '@jest/globals';
import {
  faultEnvFor,
  insertLiaisons,
  ledgerStatuses,
  sentExactlyOnce,
  waitForDueNoticesSent,
} from '../support/fault-env.js';

const LIAISONS = 300;
/** A slow server (each message held this long), so that jobs are mid-round when the signal comes. */
const ACCEPT_DELAY_MS = 100;

describe('SIGTERM to the worker with jobs active', () => {
  const faults = faultEnvFor('worker-sigterm', { env: { DIGEST_WINDOW: 'PT1S', RECONCILE_EVERY: 'PT2S' } });

  it('records the round in hand, leaves nothing sending, and the next worker sends the rest once', async () => {
    const { env } = faults;
    const org = await env.organisation();
    const inspector = await env.user('inspector');
    await insertLiaisons(env.sql, org, LIAISONS);
    env.smtp.setAcceptDelay(ACCEPT_DELAY_MS);
    const first = await env.startWorker('first');
    await env.inspection({
      organisationId: org,
      leadInspectorId: inspector.id,
      count: 1,
      publishedAt: '2018-08-30T00:00:00Z',
    });

    await env.smtp.waitFor((messages) => messages.length >= 20, 60_000);
    const {
      rows: [{ sending }],
    } = await env.sql.query(`SELECT count(*)::int AS sending FROM notifications WHERE status = 'sending'`);
    expect(sending).toBeGreaterThan(0); // a round is in hand when the signal comes
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });

    const afterStop = await ledgerStatuses(env.sql);
    expect(afterStop.sending).toBeUndefined();
    // The round in hand was recorded: whatever the server accepted is marked sent, under its Message-ID.
    const { rows: sentIds } = await env.sql.query<{ message_id: string }>(
      `SELECT DISTINCT message_id FROM notifications WHERE status = 'sent'`,
    );
    expect(new Set(sentIds.map((r) => r.message_id))).toEqual(new Set(env.smtp.messages.map((m) => m.messageId)));
    expect(afterStop.scheduled).toBeGreaterThan(0); // the rest is left for the next worker
    const sentByFirst = env.smtp.messages.length;

    const second = await env.startWorker('second');
    await waitForDueNoticesSent(env.sql, 'the next worker sending the rest');
    expect(second.running()).toBe(true);
    const once = await sentExactlyOnce(env.sql, env.smtp);
    console.log(
      `worker sigterm: first worker sent ${sentByFirst} and exited ${exit.code} after the signal; the next sent ${once.emails - sentByFirst}; ` +
        `${once.sentRows} notices in ${once.emails} emails, doubled ${once.doubled.length}, missing ${once.missing.length}`,
    );
    expect(once.doubled).toEqual([]);
    expect(once.missing).toEqual([]);
    expect(once.emails).toBeGreaterThanOrEqual(LIAISONS);
  }, 300_000);
});
