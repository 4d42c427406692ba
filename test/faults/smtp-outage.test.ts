// Fault: the SMTP server goes away (connections refused) with 500 notices queued. Nothing is lost (no
// notice `failed`), the API and the worker's other work keep going, and once the server is back every
// notice, of every kind, arrives exactly once. FAULTS_SMTP_OUTAGE sets the outage (ISO 8601 duration):
// CI runs PT20S, `npm run test:faults:full` the full PT5M.
import { afterAll, describe, expect, it } from '@jest/globals';
import { Duration } from 'luxon';
import {
  faultEnvFor,
  insertLiaisons,
  ledgerStatuses,
  sentExactlyOnce,
  waitForDueNoticesSent,
} from '../support/fault-env.js';
import { agreedPlan } from '../support/api-harness.js';
import { waitUntil } from '../support/wait.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';

const OUTAGE_MS = Duration.fromISO(process.env.FAULTS_SMTP_OUTAGE ?? 'PT20S').toMillis();
const QUEUED = 500;
/**
 * A guard against a hang, not a target: how long after the server's return the sending may take is reported, not
 * asserted.
 */
const DRAIN_GUARD_MS = 180_000;

describe(`SMTP down for ${OUTAGE_MS / 1000} s with ${QUEUED} notices queued`, () => {
  const faults = faultEnvFor('smtp-outage', { env: { DIGEST_WINDOW: 'PT1S', RECONCILE_EVERY: 'PT5S' } });
  let returned: SmtpCatcher | undefined;
  afterAll(async () => {
    await returned?.close();
  });

  it('loses nothing, keeps other work moving, and sends everything once after its return', async () => {
    const { env } = faults;
    const org = await env.organisation();
    const inspector = await env.user('inspector');
    const liaison = await env.user('liaison', [org]);
    await insertLiaisons(env.sql, org, QUEUED - 1);
    const worker = await env.startWorker('worker');

    const smtpPort = env.smtp.port;
    await env.smtp.close();
    const downAt = Date.now();
    // Published long ago: one overdue notice for each of the 500 liaisons (each in a batch of its own).
    const [rec, other] = await env.inspection({
      organisationId: org,
      leadInspectorId: inspector.id,
      count: 2,
      publishedAt: '2018-08-30T00:00:00Z',
    });
    const {
      rows: [{ queued }],
    } = await env.sql.query(
      `SELECT count(*)::int AS queued FROM notifications WHERE kind = 'overdue' AND send_at < now() + interval '2 seconds'`,
    );
    expect(queued).toBeGreaterThanOrEqual(QUEUED);
    await waitUntil(
      'the worker finding the server gone',
      async () =>
        (
          await env.sql.query(
            `SELECT 1 FROM notifications WHERE last_error IS NOT NULL AND status = 'scheduled' LIMIT 1`,
          )
        ).rowCount === 1,
    );

    // Other work keeps moving while the server is down: transitions answer, and plan a notice of another kind.
    const planned = await env.http(
      liaison.token,
      'POST',
      `/recommendations/${rec.id}/transitions`,
      agreedPlan(rec.version),
    );
    expect(planned.status).toBe(200);
    const proposed = await env.http(liaison.token, 'POST', `/recommendations/${rec.id}/transitions`, {
      action: 'propose_closure',
      version: planned.body.version,
      evidence: [{ title: 'Audit report' }],
    });
    expect(proposed.status).toBe(200);
    expect(other).toBeDefined();
    // The worker's maintenance queue is not held up by the notices waiting for the server.
    const reconciles = () => worker.lines.filter((l) => /"job":"reconcile"/.test(l) && /job completed/.test(l)).length;
    const reconcilesBefore = reconciles();
    await waitUntil('a reconcile run during the outage', () => reconciles() > reconcilesBefore);

    // The outage itself is the fault's length, not a wait for something.
    await new Promise((r) => setTimeout(r, Math.max(0, downAt + OUTAGE_MS - Date.now())));
    const duringOutage = await ledgerStatuses(env.sql);
    expect(duringOutage.failed).toBeUndefined();
    expect(duringOutage.sent).toBeUndefined();

    returned = await startSmtpCatcher({ port: smtpPort });
    const backAt = Date.now();
    await waitForDueNoticesSent(env.sql, 'every due notice sent', new Date(backAt), DRAIN_GUARD_MS);
    const lastArrival = Math.max(...returned.messages.map((m) => m.receivedAt.getTime()));
    const once = await sentExactlyOnce(env.sql, returned);
    const statuses = await ledgerStatuses(env.sql);
    const kinds = [...new Set(returned.messages.map((m) => m.kind))].sort();
    console.log(
      `smtp outage ${OUTAGE_MS / 1000} s: ${once.sentRows} notices in ${once.emails} emails (${kinds.join(', ')}); all sent ${((lastArrival - backAt) / 1000).toFixed(1)} s after the server returned; ` +
        `ledger ${JSON.stringify(statuses)}; doubled ${once.doubled.length}, missing ${once.missing.length}`,
    );
    expect(statuses.failed).toBeUndefined();
    expect(once.doubled).toEqual([]);
    expect(once.missing).toEqual([]);
    expect(once.emails).toBeGreaterThanOrEqual(QUEUED);
    expect(kinds).toEqual(expect.arrayContaining(['overdue', 'review_needed']));
  }, 900_000);
});
