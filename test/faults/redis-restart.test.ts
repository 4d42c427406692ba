// Fault: Redis restarts empty (SHUTDOWN NOSAVE) after the API has queued the dispatch jobs of a fan-out and
// before they fall due, and an inspection is created while it is down. The worker's reconciler rebuilds
// the jobs from the ledger, and every due notice reaches the SMTP server exactly once.
import { describe, expect, it } from '@jest/globals';
import {
  faultEnvFor,
  insertLiaisons,
  ledgerStatuses,
  sentExactlyOnce,
  waitForDueNoticesSent,
} from '../support/fault-env.js';
import { waitUntil } from '../support/wait.js';

const WINDOW_MS = 10_000;
const LIAISONS = 30;

describe('Redis restarted empty', () => {
  const faults = faultEnvFor('redis-restart', {
    privateRedis: true,
    env: { DIGEST_WINDOW: 'PT10S', RECONCILE_EVERY: 'PT2S' },
  });

  it('the reconciler rebuilds the lost jobs and every due notice is sent exactly once', async () => {
    const { env } = faults;
    const org = await env.organisation();
    const inspector = await env.user('inspector');
    await env.user('manager', [org]);
    await insertLiaisons(env.sql, org, LIAISONS);
    const worker = await env.startWorker('worker');

    // Just after a window boundary, so that the jobs queued now fall due ~10 s later, after the restart.
    await waitUntil('the start of a digest window', () => Date.now() % WINDOW_MS < 1_000, 2 * WINDOW_MS, 50);
    const published = '2018-08-30T00:00:00Z'; // long ago: every recommendation is overdue at once
    await env.inspection({ organisationId: org, leadInspectorId: inspector.id, count: 5, publishedAt: published });
    const {
      rows: [{ queued }],
    } = await env.sql.query(
      `SELECT count(*)::int AS queued FROM notifications WHERE status = 'scheduled' AND send_at < now()`,
    );
    expect(queued).toBeGreaterThanOrEqual(LIAISONS);

    await env.redis!.stop();
    // Created while Redis is away: the API commits, answers, and leaves the job to the reconciler.
    const whileDown = env.inspection({
      organisationId: org,
      leadInspectorId: inspector.id,
      count: 5,
      publishedAt: published,
    });
    await waitUntil(
      'the inspection committed while Redis is down',
      async () => (await env.sql.query(`SELECT count(*)::int AS n FROM inspections`)).rows[0].n === 2,
    );
    await env.redis!.start();
    await whileDown;
    expect(env.smtp.messages).toHaveLength(0); // nothing had fallen due before the jobs were lost
    await worker.waitForLine(/job schedulers are missing from Redis/, 60_000);

    await waitForDueNoticesSent(env.sql, 'every notice due by now sent', new Date(Date.now() + WINDOW_MS));
    const once = await sentExactlyOnce(env.sql, env.smtp);
    console.log(
      `redis restart: ${once.sentRows} notices sent in ${once.emails} emails; ledger ${JSON.stringify(await ledgerStatuses(env.sql))}; doubled ${once.doubled.length}, missing ${once.missing.length}`,
    );
    expect(once.doubled).toEqual([]);
    expect(once.missing).toEqual([]);
    expect(once.sentRows).toBeGreaterThanOrEqual(2 * LIAISONS);
    expect(new Set(env.smtp.messages.map((m) => m.messageId)).size).toBe(env.smtp.messages.length);
  }, 240_000);
});
