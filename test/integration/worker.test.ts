// The worker against PostgreSQL, Redis and a loopback SMTP server: delivery, retries, escalations, summaries and
// faults.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import {
  LedgerService,
  NOTIFICATION_SCHEDULER,
  NotificationPlanner,
  type BatchToSchedule,
  type NotificationScheduler,
} from '../../libs/application/src/index.js';
import { APP_CONFIG, loadConfig } from '../../config/index.js';
import {
  DeadlineType,
  IMMEDIATE_OFFSET,
  NotificationKind,
  Role,
  batchKeyFor,
  slotOf as slotOfRow,
  dedupKeyFor,
  nextDeadlineAt,
  type PlannedNotification,
  type RecommendationStatus,
} from '../../libs/domain/src/index.js';
import { messageIdFor } from '../../libs/notifications/src/index.js';
import { RecommendationEntity, Storage, Repositories } from '../../libs/persistence/src/index.js';
import {
  JobName,
  QUEUES,
  QueueName,
  SCHEDULING_OPTIONS,
  SCHEDULING_REDIS,
  deleteQueueKeys,
  jobIdFor,
  type QueueMap,
} from '../../libs/scheduling/src/index.js';
import { CLAIM_BATCHES } from '../../apps/worker/src/dispatch/claim.stage.js';
import { ReconcileService } from '../../apps/worker/src/reconcile.service.js';
import { WeeklySummaryService, summaryWeekOf } from '../../apps/worker/src/weekly-summary.service.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { WorkerRunner } from '../../apps/worker/src/worker-runner.service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startSmtpCatcher, type CaughtMessage, type SmtpCatcher } from '../support/smtp-catcher.js';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const MAIL_FROM = 'followup@tracker.test';
const APP_BASE_URL = 'https://tracker.test';
const WINDOW_MS = 300;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// One database, SMTP catcher and BullMQ prefix for the file; every test makes its own people, so that
// what one test sends is never counted by another.
const prefix = `test-worker-${randomBytes(4).toString('hex')}`;
let db: TestDatabase;
let catcher: SmtpCatcher;
let worker: TestingModule;
let ds: DataSource;
const extraWorkers: TestingModule[] = [];

async function startWorker(queuePrefix = prefix, overrides: Record<string, string> = {}): Promise<TestingModule> {
  const config = loadConfig({
    DATABASE_URL: db.url,
    DB_POOL_SIZE: '5',
    REDIS_URL,
    SMTP_URL: catcher.url,
    SMTP_TIMEOUT_MS: '2000',
    MAIL_FROM,
    APP_BASE_URL,
    DIGEST_WINDOW: `PT${WINDOW_MS / 1000}S`,
    SEND_WINDOW: 'always',
    ESCALATE_AFTER: 'P7D',
    ESCALATE_EVERY: 'P7D',
    JOB_ATTEMPTS: '4',
    JOB_BACKOFF_MS: '100',
    // Tests run the reconciler themselves, when they mean to.
    RECONCILE_EVERY: 'PT1H',
    SEND_LEASE: 'PT2M',
    WORKER_CONCURRENCY: '5',
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .overrideProvider(SCHEDULING_OPTIONS)
    .useValue({ prefix: queuePrefix })
    .compile();
  moduleRef.useLogger(['error', 'warn']);
  await moduleRef.init();
  return moduleRef;
}

beforeAll(async () => {
  db = await createTestDatabase();
  catcher = await startSmtpCatcher();
  worker = await startWorker();
  ds = worker.get(DataSource);
});

afterAll(async () => {
  for (const app of [...extraWorkers, worker]) await app?.close();
  if (worker) {
    // A fresh connection: the app's is closed now.
    const { Redis: RedisClient } = await import('ioredis');
    const redis = new RedisClient(REDIS_URL);
    await deleteQueueKeys(redis, prefix);
    await redis.quit();
  }
  await catcher?.close();
  await db?.drop();
});

afterEach(() => catcher.setResponder(null));

// ---------------------------------------------------------------- fixtures

interface Person {
  id: string;
  email: string;
  name: string;
}
interface Rec {
  id: string;
  reference: string;
  inspectionId: string;
  organisationId: string;
  actionPlanDueAt: Date;
  dueAt: Date;
}

const tag = () => randomBytes(4).toString('hex');

async function organisation(): Promise<{ id: string; name: string }> {
  const code = tag().toUpperCase();
  const [org] = await ds.query(`INSERT INTO organisations (name, code) VALUES ($1, $2) RETURNING id, name`, [
    `Northshire Police ${code}`,
    code,
  ]);
  return org;
}

async function person(role: string, organisationIds: string[] = []): Promise<Person> {
  const id = tag();
  // A manager with no force ticked manages all of them only by choice (all_organisations), never by the empty set.
  const allForces = role === 'manager' && organisationIds.length === 0;
  const [user] = await ds.query(
    `INSERT INTO users (email, name, password_hash, role, all_organisations) VALUES ($1, $2, 'not-a-hash', $3, $4) RETURNING id, email, name`,
    [`${role}-${id}@forces.test`, `${role} ${id}`, role, allForces],
  );
  for (const orgId of organisationIds)
    await ds.query(`INSERT INTO user_organisations (user_id, organisation_id) VALUES ($1, $2)`, [user.id, orgId]);
  return user;
}

async function inspection(organisationId: string, leadId: string): Promise<{ id: string; title: string }> {
  const title = `PEEL 2025 ${tag()}`;
  const [row] = await ds.query(
    `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
     VALUES ($1, $2, 'PEEL', now() - interval '60 days', $3, now(), now() + interval '120 days') RETURNING id, title`,
    [organisationId, title, leadId],
  );
  return row;
}

async function recommendation(
  insp: { id: string },
  organisationId: string,
  opts: { actionPlanDueAt: Date; dueAt: Date; status?: RecommendationStatus },
): Promise<Rec> {
  const status = opts.status ?? 'issued';
  const reference = `R-${tag()}`;
  const [row] = await ds.query(
    `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, due_at, action_plan_due_at, next_deadline_at, status)
     VALUES ($1, $2, $3, 'Improve how risk is assessed at first contact', $4, $5, $6, $7) RETURNING id`,
    [insp.id, organisationId, reference, opts.dueAt, opts.actionPlanDueAt, nextDeadlineAt({ status, ...opts }), status],
  );
  return {
    id: row.id,
    reference,
    inspectionId: insp.id,
    organisationId,
    actionPlanDueAt: opts.actionPlanDueAt,
    dueAt: opts.dueAt,
  };
}

/** A force with a liaison, a lead inspector and an inspection. */
async function force() {
  const org = await organisation();
  const liaison = await person('liaison', [org.id]);
  const inspector = await person('inspector');
  const insp = await inspection(org.id, inspector.id);
  return { org, liaison, inspector, insp };
}

function notice(
  rec: Rec,
  kind: NotificationKind,
  deadlineType: DeadlineType,
  deadlineAt: Date,
  recipient: Person,
  sendAt: Date,
  offsetKey = IMMEDIATE_OFFSET,
): PlannedNotification {
  return {
    dedupKey: dedupKeyFor(rec.id, deadlineType, deadlineAt, kind, offsetKey, recipient.id),
    recommendationId: rec.id,
    deadlineType,
    deadlineAt,
    kind,
    offsetKey,
    recipientId: recipient.id,
    recipientEmail: recipient.email,
    sendAt,
    batchKey: batchKeyFor(kind, recipient.id, sendAt, WINDOW_MS),
  };
}

/** Writes ledger rows as the API does; schedules them unless told not to. */
async function ledger(rows: PlannedNotification[], recs: Rec[], schedule = true): Promise<BatchToSchedule[]> {
  const planner = worker.get(NotificationPlanner);
  const batches = await ds.transaction((manager) =>
    planner.insert(new Repositories(manager), rows, new Map(recs.map((r) => [r.id, r]))),
  );
  if (schedule) await worker.get<NotificationScheduler>(NOTIFICATION_SCHEDULER).addSlotJobs(batches);
  return batches;
}

interface LedgerRow {
  status: string;
  attempts: number;
  message_id: string | null;
  last_error: string | null;
  sent_at: Date | null;
  kind: string;
  offset_key: string;
  send_at: Date;
  batch_key: string;
  organisation_id: string | null;
}

async function rowsFor(recipient: Person): Promise<LedgerRow[]> {
  return ds.query(`SELECT * FROM notifications WHERE recipient_id = $1 ORDER BY created_at, offset_key`, [
    recipient.id,
  ]);
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until nothing more can be sent to these people: none of their rows is being sent or due. The
 * catcher records an email before it answers 250, and a row is recorded sent only after that answer,
 * so from then on the emails caught are all the emails there will be (a "sent once" can be asserted).
 */
async function settledFor(recipients: readonly { id: string }[]): Promise<void> {
  await waitUntil(
    'their ledger rows are settled',
    async () => {
      const [{ open }] = await ds.query(
        `SELECT count(*)::int AS open FROM notifications
          WHERE recipient_id = ANY($1::uuid[])
            AND (status = 'sending' OR (status = 'scheduled' AND send_at <= now() AND (retry_at IS NULL OR retry_at <= now())))`,
        [recipients.map((r) => r.id)],
      );
      return open === 0;
    },
    20_000,
  );
}

const to = (recipient: Person) => (m: CaughtMessage) => m.envelope.to.includes(recipient.email);
const messagesTo = (recipient: Person) => catcher.messages.filter(to(recipient));
const notifications = (): Queue => worker.get<QueueMap>(QUEUES)[QueueName.Notifications];
/** The job that sends a row planned for `sendAt`: the one of the slot at which its batch's window closes. */
const slotOf = (sendAt: Date) => slotOfRow({ sendAt }, WINDOW_MS).getTime();
const slotJobId = (sendAt: Date) => jobIdFor(JobName.DispatchDue, { slot: slotOf(sendAt), drain: 0 });

// ---------------------------------------------------------------- tests

describe('worker: delivery', () => {
  it('sends a due batch once with its kind and derived Message-ID, records it, and cancels stale rows unsent', async () => {
    const { org, liaison, inspector, insp } = await force();
    const now = Date.now();
    const overdueRec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(now - HOUR),
      dueAt: new Date(now + 30 * DAY),
    });
    // Its action plan deadline moved after the notices were planned: the old date's notices are stale.
    const movedRec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(now - 2 * HOUR),
      dueAt: new Date(now + 30 * DAY),
    });
    const oldDate = new Date(now - 5 * DAY);
    const reminderRec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(now + 10 * DAY),
      dueAt: new Date(now + 30 * DAY),
    });
    // Far enough ahead that the job is still delayed when checked, on a loaded machine too.
    const sendAt = new Date(Date.now() + 2000);

    const rows = [
      notice(
        overdueRec,
        NotificationKind.Overdue,
        DeadlineType.ActionPlan,
        overdueRec.actionPlanDueAt,
        liaison,
        sendAt,
      ),
      notice(movedRec, NotificationKind.Overdue, DeadlineType.ActionPlan, oldDate, liaison, sendAt),
      notice(movedRec, NotificationKind.Overdue, DeadlineType.ActionPlan, oldDate, inspector, sendAt),
      notice(
        reminderRec,
        NotificationKind.Reminder,
        DeadlineType.ActionPlan,
        reminderRec.actionPlanDueAt,
        liaison,
        sendAt,
        'P14D',
      ),
    ];
    await ledger(rows, [overdueRec, movedRec, reminderRec]);
    const overdueBatch = rows[0].batchKey;
    expect(await notifications().getJobState(slotJobId(rows[0].sendAt))).toBe('delayed');

    await catcher.waitFor((all) => all.filter(to(liaison)).length >= 2, 10_000);
    await waitUntil('the stale rows are cancelled', async () =>
      (await rowsFor(inspector)).every((r) => r.status === 'cancelled'),
    );
    await settledFor([liaison, inspector]);

    const received = messagesTo(liaison);
    expect(received).toHaveLength(2);
    expect(messagesTo(inspector)).toHaveLength(0);
    const overdue = received.find((m) => m.kind === 'overdue')!;
    expect(overdue.messageId).toBe(messageIdFor(overdueBatch, MAIL_FROM));
    expect(overdue.headers['x-followup-kind']).toBe('overdue');
    expect(overdue.text).toContain(overdueRec.reference);
    expect(overdue.text).toContain(org.name);
    expect(overdue.text).toContain(insp.title);
    expect(overdue.text).toContain(`${APP_BASE_URL}/recommendations/${overdueRec.id}`);
    expect(overdue.html).toContain(overdueRec.reference);
    expect(overdue.text).not.toContain(movedRec.reference);
    // The ledger's `sent_at` comes after the SMTP server's acceptance.
    expect(overdue.receivedAt.getTime()).toBeGreaterThanOrEqual(sendAt.getTime());

    const reminder = received.find((m) => m.kind === 'reminder')!;
    expect(reminder.messageId).toBe(messageIdFor(rows[3].batchKey, MAIL_FROM));
    expect(reminder.parts.some((p) => p.filename === 'deadlines.ics')).toBe(true);

    const ledgerRows = await rowsFor(liaison);
    const sentOverdue = ledgerRows.find((r) => r.batch_key === overdueBatch && r.status === 'sent')!;
    expect(sentOverdue).toMatchObject({ attempts: 1, message_id: overdue.messageId, last_error: null });
    expect(sentOverdue.sent_at).toBeInstanceOf(Date);
    const stale = [...ledgerRows, ...(await rowsFor(inspector))].filter((r) => r.status === 'cancelled');
    expect(stale).toHaveLength(2);
    for (const row of stale) expect(row.last_error).toMatch(/^stale: /);
  });

  it('retries 451 with backoff and delivers once when the server accepts; records the attempts', async () => {
    const { org, liaison, insp } = await force();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    let refusals = 0;
    catcher.setResponder((rcpt) => {
      if (rcpt !== liaison.email || refusals >= 2) return null;
      refusals += 1;
      return { code: 451, message: '4.3.0 try again later' };
    });
    const [row] = [
      notice(
        rec,
        NotificationKind.Overdue,
        DeadlineType.ActionPlan,
        rec.actionPlanDueAt,
        liaison,
        new Date(Date.now() + 500),
      ),
    ];
    await ledger([row], [rec]);

    await catcher.waitFor((all) => all.some(to(liaison)), 10_000);
    await waitUntil('the row is recorded as sent', async () => (await rowsFor(liaison))[0].status === 'sent');
    await settledFor([liaison]);
    expect(refusals).toBe(2);
    expect(messagesTo(liaison)).toHaveLength(1);
    expect(messagesTo(liaison)[0].messageId).toBe(messageIdFor(row.batchKey, MAIL_FROM));
    expect((await rowsFor(liaison))[0]).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
  });

  it('records a 550 as failed after one attempt, and sends nothing', async () => {
    const { org, liaison, insp } = await force();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    let refusals = 0;
    catcher.setResponder((rcpt) =>
      rcpt === liaison.email ? (refusals++, { code: 550, message: '5.1.1 no such mailbox' }) : null,
    );
    const row = notice(
      rec,
      NotificationKind.Overdue,
      DeadlineType.ActionPlan,
      rec.actionPlanDueAt,
      liaison,
      new Date(Date.now() + 500),
    );
    await ledger([row], [rec]);

    await waitUntil('the row is recorded as failed', async () => (await rowsFor(liaison))[0].status === 'failed');
    await settledFor([liaison]);
    const [stored] = await rowsFor(liaison);
    expect(stored.attempts).toBe(1);
    expect(stored.last_error).toMatch(/550/);
    expect(refusals).toBe(1);
    expect(messagesTo(liaison)).toHaveLength(0);
    // Not retried: the job completed (and was removed), it did not fail. It may still be finishing just after the row
    // was written.
    const job = slotJobId(row.sendAt);
    await waitUntil('the slot job has finished', async () => (await notifications().getJobState(job)) !== 'active');
    expect(await notifications().getJobState(job)).toBe('unknown');
  });

  it('waits out an SMTP outage: the row waits in the ledger, backing off, and goes under its Message-ID once accepted', async () => {
    const { org, liaison, insp } = await force();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    catcher.setResponder((rcpt) => (rcpt === liaison.email ? { code: 421, message: '4.7.0 too busy' } : null));
    const [row] = [
      notice(
        rec,
        NotificationKind.Overdue,
        DeadlineType.ActionPlan,
        rec.actionPlanDueAt,
        liaison,
        new Date(Date.now() + 300),
      ),
    ];
    await ledger([row], [rec]);

    // Tries 1-4 back off 100, 200, 400, 800 ms: the outage outlasts JOB_ATTEMPTS, but the notice is only a
    // few seconds late, so it is not given up.
    await waitUntil('four attempts have been refused', async () => (await rowsFor(liaison))[0].attempts >= 4, 15_000);
    await waitUntil('the fourth is recorded', async () => (await rowsFor(liaison))[0].status === 'scheduled');
    const [waiting] = await ds.query<(LedgerRow & { retry_at: Date })[]>(
      `SELECT * FROM notifications WHERE recipient_id = $1`,
      [liaison.id],
    );
    expect(waiting.last_error).toMatch(/transient SMTP failure 421/);
    expect(waiting.retry_at.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(messagesTo(liaison)).toHaveLength(0);

    catcher.setResponder(null);
    await waitUntil('the row is sent', async () => (await rowsFor(liaison))[0].status === 'sent', 15_000);
    expect(messagesTo(liaison)).toHaveLength(1);
    expect(messagesTo(liaison)[0].messageId).toBe(waiting.message_id);
    expect(waiting.message_id).toBe(messageIdFor(row.batchKey, MAIL_FROM));
  });

  it('sends a burst in rounds, each notice once however the drains share it; one recipient refused for now holds nobody else back', async () => {
    const { org, insp } = await force();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    const liaisons = await Promise.all(Array.from({ length: CLAIM_BATCHES * 3 }, () => person('liaison', [org.id])));
    const [refused, ...accepted] = liaisons;
    catcher.setResponder((rcpt) => (rcpt === refused.email ? { code: 451, message: '4.3.0 try again later' } : null));
    const sendAt = new Date(Date.now() + 1000);
    const rows = liaisons.map((l) =>
      notice(rec, NotificationKind.Overdue, DeadlineType.ActionPlan, rec.actionPlanDueAt, l, sendAt),
    );
    try {
      await ledger(rows, [rec]);
      const emails = new Set(accepted.map((l) => l.email));
      const ours = () => catcher.messages.filter((m) => m.envelope.to.some((t) => emails.has(t)));
      await catcher.waitFor(() => ours().length >= accepted.length, 15_000);
      await settledFor(accepted);
      // What must hold, however many drains took part: every notice went once, in one attempt, under its own id.
      expect(ours()).toHaveLength(accepted.length);
      expect(new Set(ours().map((m) => m.messageId)).size).toBe(accepted.length);
      const stored: { status: string; attempts: number }[] = await ds.query(
        `SELECT status, attempts FROM notifications WHERE recipient_id = ANY($1::uuid[])`,
        [accepted.map((l) => l.id)],
      );
      expect(stored.filter((r) => r.status !== 'sent' || r.attempts !== 1)).toEqual([]);
      await waitUntil('the refused one has been refused', async () =>
        /451/.test((await rowsFor(refused))[0].last_error ?? ''),
      );
      const [waiting] = await rowsFor(refused);
      // Refused for now: it waits for its retry, or is in one (the test's backoff is short); never sent, never given
      // up.
      expect(['scheduled', 'sending']).toContain(waiting.status);
      expect(messagesTo(refused)).toHaveLength(0);
    } finally {
      catcher.setResponder(null);
    }
    await waitUntil(
      'the refused one goes once the server accepts',
      async () => (await rowsFor(refused))[0].status === 'sent',
      15_000,
    );
    expect(messagesTo(refused)).toHaveLength(1);
  });

  it('records as failed a notice that transient errors have kept from its recipient for over a day', async () => {
    const { org, liaison, insp } = await force();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - 3 * DAY),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    catcher.setResponder((rcpt) => (rcpt === liaison.email ? { code: 421, message: '4.7.0 too busy' } : null));
    await ledger(
      [
        notice(
          rec,
          NotificationKind.Overdue,
          DeadlineType.ActionPlan,
          rec.actionPlanDueAt,
          liaison,
          new Date(Date.now() - 2 * DAY),
        ),
      ],
      [rec],
    );

    await waitUntil(
      'the row is recorded as failed',
      async () => (await rowsFor(liaison))[0].status === 'failed',
      15_000,
    );
    const [stored] = await rowsFor(liaison);
    expect(stored.attempts).toBe(4);
    expect(stored.last_error).toMatch(/transient SMTP failure 421/);
    expect(messagesTo(liaison)).toHaveLength(0);
  });

  it('gives rows that join a batch after its email went an email and Message-ID of their own', async () => {
    const { org, liaison, insp } = await force();
    const first = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    const late = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - 2 * HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    const sendAt = new Date(Date.now() + 100);
    const [firstRow] = [
      notice(first, NotificationKind.Overdue, DeadlineType.ActionPlan, first.actionPlanDueAt, liaison, sendAt),
    ];
    await ledger([firstRow], [first]);
    await waitUntil('the first email is sent', async () => (await rowsFor(liaison))[0]?.status === 'sent');

    // A transaction that began in the same digest window commits only now, into the same batch.
    const lateRow = {
      ...notice(late, NotificationKind.Overdue, DeadlineType.ActionPlan, late.actionPlanDueAt, liaison, sendAt),
      batchKey: firstRow.batchKey,
    };
    await ledger([lateRow], [late]);
    await waitUntil('the late row is sent', async () => (await rowsFor(liaison)).every((r) => r.status === 'sent'));

    const ids = messagesTo(liaison).map((m) => m.messageId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(ids[0]).toBe(messageIdFor(firstRow.batchKey, MAIL_FROM));
    expect(messagesTo(liaison)[1].text).toContain(late.reference);
    expect(messagesTo(liaison)[1].text).not.toContain(first.reference);
  });
});

describe('worker: escalations and summaries', () => {
  it('plans and schedules the next escalation once one is sent', async () => {
    const { org, insp } = await force();
    const manager = await person('manager', [org.id]);
    const dueAt = new Date(Date.now() - 8 * DAY);
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - 20 * DAY),
      dueAt,
      status: 'planned',
    });
    await ledger(
      [
        notice(
          rec,
          NotificationKind.Escalation,
          DeadlineType.DueDate,
          dueAt,
          manager,
          new Date(Date.now() + 300),
          'step-0',
        ),
      ],
      [rec],
    );

    await catcher.waitFor((all) => all.some(to(manager)), 10_000);
    await waitUntil('the next escalation is planned', async () => (await rowsFor(manager)).length === 2);
    const [sent, next] = await rowsFor(manager);
    expect(messagesTo(manager)[0].kind).toBe('escalation');
    expect(messagesTo(manager)[0].text).toContain('8 days');
    expect(sent.status).toBe('sent');
    expect(next).toMatchObject({ kind: 'escalation', offset_key: 'step-1', status: 'scheduled' });
    expect(next.send_at.getTime()).toBe(dueAt.getTime() + 14 * DAY);
    await waitUntil(
      'its job is queued',
      async () => (await notifications().getJobState(slotJobId(next.send_at))) === 'delayed',
    );
  });

  it('never sends an escalation step again after ESCALATE_AFTER/ESCALATE_EVERY change', async () => {
    const { org, inspector, insp } = await force();
    const manager = await person('manager', [org.id]);
    const dueAt = new Date(Date.now() - 8 * DAY);
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - 20 * DAY),
      dueAt,
      status: 'planned',
    });
    const entity = async () => ds.getRepository(RecommendationEntity).findOneByOrFail({ id: rec.id });
    const escalationsTo = async () =>
      (await rowsFor(manager))
        .filter((r) => r.kind === 'escalation')
        .map((r) => ({ offset: r.offset_key, status: r.status }));

    // Planned and sent under P7D/P7D: the first step, then the second is scheduled for day 14.
    const plan = async (app: TestingModule) => {
      const batches = await ds.transaction(async (m) =>
        app
          .get(NotificationPlanner)
          .syncRecommendations(new Repositories(m), [await entity()], inspector.id, new Date()),
      );
      await app.get<NotificationScheduler>(NOTIFICATION_SCHEDULER).addSlotJobs(batches);
    };
    await plan(worker);
    await catcher.waitFor((all) => all.some(to(manager)), 10_000);
    await waitUntil('the next step is planned', async () => (await escalationsTo()).length === 2);
    expect(await escalationsTo()).toEqual([
      { offset: 'step-0', status: 'sent' },
      { offset: 'step-1', status: 'scheduled' },
    ]);

    // Restarted with other settings, the tracker plans again (any change does) and reconciles: whatever
    // the new settings make of day 8 (the first step under P8D, the seventh under P1D), no new step appears.
    for (const settings of [
      { ESCALATE_AFTER: 'P8D', ESCALATE_EVERY: 'P7D' },
      { ESCALATE_AFTER: 'P1D', ESCALATE_EVERY: 'P1D' },
    ]) {
      const restarted = await startWorker(prefix, settings);
      extraWorkers.push(restarted);
      await plan(restarted);
      await restarted.get(ReconcileService).reconcile();
      expect(await escalationsTo()).toEqual([
        { offset: 'step-0', status: 'sent' },
        { offset: 'step-1', status: 'scheduled' },
      ]);
    }
    // Nothing is due for the manager (step 1 waits for day 14), so the one email is all there will be.
    const [{ due }] = await ds.query(
      `SELECT count(*)::int AS due FROM notifications WHERE recipient_id = $1 AND status IN ('scheduled', 'sending') AND send_at <= now()`,
      [manager.id],
    );
    expect(due).toBe(0);
    expect(messagesTo(manager)).toHaveLength(1);
  });

  it('sends each manager one weekly summary of what they may see that is overdue, however often the job runs', async () => {
    const north = await force();
    const south = await force();
    const manager = await person('manager', [north.org.id]);
    const now = Date.now();
    const older = await recommendation(north.insp, north.org.id, {
      actionPlanDueAt: new Date(now - 30 * DAY),
      dueAt: new Date(now + 30 * DAY),
    });
    const newer = await recommendation(north.insp, north.org.id, {
      actionPlanDueAt: new Date(now - 2 * DAY),
      dueAt: new Date(now + 30 * DAY),
    });
    const notYet = await recommendation(north.insp, north.org.id, {
      actionPlanDueAt: new Date(now + 2 * DAY),
      dueAt: new Date(now + 30 * DAY),
    });
    const elsewhere = await recommendation(south.insp, south.org.id, {
      actionPlanDueAt: new Date(now - 3 * DAY),
      dueAt: new Date(now + 30 * DAY),
    });

    const summaries = worker.get(WeeklySummaryService);
    await summaries.handle();
    await summaries.handle();

    await catcher.waitFor((all) => all.some(to(manager)), 10_000);
    await settledFor([manager]);
    expect(messagesTo(manager)).toHaveLength(1);
    const [summary] = messagesTo(manager);
    expect(summary.kind).toBe('overdue_summary');
    expect(summary.text!.indexOf(older.reference)).toBeGreaterThanOrEqual(0);
    expect(summary.text!.indexOf(older.reference)).toBeLessThan(summary.text!.indexOf(newer.reference));
    expect(summary.text).not.toContain(notYet.reference);
    expect(summary.text).not.toContain(elsewhere.reference);
    const rows = await rowsFor(manager);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'overdue_summary', status: 'sent', offset_key: 'P0D' });
    const [{ deadline_at }] = await ds.query(`SELECT deadline_at FROM notifications WHERE recipient_id = $1`, [
      manager.id,
    ]);
    expect(deadline_at).toEqual(summaryWeekOf(new Date()));
  });
});

describe('worker: weekly summaries per organisation', () => {
  it('gives a scoped manager a summary row per force they manage, seen in the ledger by that force only; an unscoped one a row for all', async () => {
    const north = await force();
    const south = await force();
    const [managerNorth, managerBoth, managerAll] = [
      await person('manager', [north.org.id]),
      await person('manager', [north.org.id, south.org.id]),
      await person('manager'),
    ];
    const now = Date.now();
    const northOverdue = await recommendation(north.insp, north.org.id, {
      actionPlanDueAt: new Date(now - 5 * DAY),
      dueAt: new Date(now + 30 * DAY),
    });
    const southOverdue = await recommendation(south.insp, south.org.id, {
      actionPlanDueAt: new Date(now - 4 * DAY),
      dueAt: new Date(now + 30 * DAY),
    });

    await worker.get(WeeklySummaryService).handle();
    const summaryRows = async (p: Person) =>
      (await rowsFor(p))
        .filter((r) => r.kind === 'overdue_summary')
        .map((r) => r.organisation_id)
        .sort();
    expect(await summaryRows(managerNorth)).toEqual([north.org.id]);
    expect(await summaryRows(managerBoth)).toEqual([north.org.id, south.org.id].sort());
    expect(await summaryRows(managerAll)).toEqual([null]);

    // GET /notifications reads the ledger through LedgerService: a force's managers see that force's rows.
    const ledgerService = new LedgerService(new Storage(ds));
    const visibleTo = async (actor: { id: string; organisationIds: string[]; allOrganisations?: boolean }) => {
      const page = await ledgerService.list(
        { ...actor, role: Role.Manager },
        { kind: 'overdue_summary' },
        { limit: 500 },
      );
      return page.items
        .filter((n) => [managerNorth.id, managerBoth.id, managerAll.id].includes(n.recipientId))
        .map((n) => `${n.recipientId}:${n.deadlineType}`);
    };
    const northRows = await visibleTo({ id: managerNorth.id, organisationIds: [north.org.id] });
    expect(northRows.sort()).toEqual([`${managerBoth.id}:weekly_summary`, `${managerNorth.id}:weekly_summary`].sort());
    const everyRow = await visibleTo({ id: managerAll.id, organisationIds: [], allOrganisations: true });
    expect(everyRow).toHaveLength(4);

    // One email each, with the figures of the forces each manages.
    await catcher.waitFor((all) => [managerNorth, managerBoth, managerAll].every((p) => all.some(to(p))), 10_000);
    await waitUntil('their summaries are recorded as sent', async () =>
      (await Promise.all([managerNorth, managerBoth, managerAll].map(rowsFor)))
        .flat()
        .filter((r) => r.kind === 'overdue_summary')
        .every((r) => r.status === 'sent'),
    );
    expect([messagesTo(managerNorth).length, messagesTo(managerBoth).length, messagesTo(managerAll).length]).toEqual([
      1, 1, 1,
    ]);
    expect(messagesTo(managerNorth)[0].text).toContain(northOverdue.reference);
    expect(messagesTo(managerNorth)[0].text).not.toContain(southOverdue.reference);
    for (const p of [managerBoth, managerAll]) {
      expect(messagesTo(p)[0].text).toContain(northOverdue.reference);
      expect(messagesTo(p)[0].text).toContain(southOverdue.reference);
    }
  });
});

describe('worker: faults', () => {
  it('re-creates jobs after Redis loses its data, and sends each notice once', async () => {
    const { org, liaison, insp } = await force();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    const row = notice(
      rec,
      NotificationKind.Overdue,
      DeadlineType.ActionPlan,
      rec.actionPlanDueAt,
      liaison,
      new Date(Date.now() + 3000),
    );
    await ledger([row], [rec]);
    const jobId = slotJobId(row.sendAt);
    expect(await notifications().getJobState(jobId)).toBe('delayed');

    // FLUSHALL, limited to this file's keys so that other test runs on this Redis are left alone.
    expect(await deleteQueueKeys(worker.get<Redis>(SCHEDULING_REDIS), prefix)).toBeGreaterThan(0);
    expect(await notifications().getJobState(jobId)).toBe('unknown');
    expect(await worker.get<QueueMap>(QUEUES)[QueueName.Maintenance].getJobScheduler('reconcile')).toBeUndefined();

    // The watchdog finds the schedulers gone and puts them back; the reconcile they start re-creates the job.
    await worker.get(WorkerRunner).ensureSchedulers();
    expect(await worker.get<QueueMap>(QUEUES)[QueueName.Maintenance].getJobScheduler('reconcile')).toBeDefined();
    await catcher.waitFor((all) => all.some(to(liaison)), 10_000);
    await waitUntil('the row is recorded as sent', async () => (await rowsFor(liaison))[0].status === 'sent');
    await worker.get(ReconcileService).reconcile();
    await settledFor([liaison]);
    expect(messagesTo(liaison)).toHaveLength(1);
    expect(messagesTo(liaison)[0].messageId).toBe(messageIdFor(row.batchKey, MAIL_FROM));
  });

  it('sends what fell due while nothing ran: missing jobs, jobs that gave up, and crashed claims', async () => {
    const { org, liaison, inspector, insp } = await force();
    const lead = inspector;
    const now = Date.now();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(now - 2 * HOUR),
      dueAt: new Date(now + 30 * DAY),
    });
    const longAgo = new Date(now - 60_000);
    const missing = notice(
      rec,
      NotificationKind.Overdue,
      DeadlineType.ActionPlan,
      rec.actionPlanDueAt,
      liaison,
      longAgo,
    );
    const gaveUp = notice(rec, NotificationKind.Overdue, DeadlineType.ActionPlan, rec.actionPlanDueAt, lead, longAgo);
    const manager = await person('manager', [org.id]);
    const crashed = notice(
      rec,
      NotificationKind.Escalation,
      DeadlineType.ActionPlan,
      rec.actionPlanDueAt,
      manager,
      longAgo,
      'step-0',
    );
    await ledger([missing, gaveUp, crashed], [rec], false);

    // The job of their slot failed and is kept as failed: re-adding it under its id would be a no-op.
    const gaveUpId = slotJobId(gaveUp.sendAt);
    await notifications().add(
      'no-such-job',
      { slot: slotOf(gaveUp.sendAt), drain: 0 },
      { jobId: gaveUpId, removeOnFail: false },
    );
    await waitUntil('that job has failed', async () => (await notifications().getJobState(gaveUpId)) === 'failed');
    // A worker claimed this batch and died before recording anything.
    await ds.query(
      `UPDATE notifications SET status = 'sending', claimed_at = now() - interval '10 minutes', attempts = 1 WHERE batch_key = $1`,
      [crashed.batchKey],
    );

    const report = await worker.get(ReconcileService).reconcile();
    expect(report.leasesExpired).toBe(1);
    // All three are a minute late: one catch-up drain sends them.
    expect(report.late).toBeGreaterThanOrEqual(3);

    await catcher.waitFor((all) => [liaison, lead, manager].every((p) => all.some(to(p))), 10_000);
    await settledFor([liaison, lead, manager]);
    for (const [p, planned] of [
      [liaison, missing],
      [lead, gaveUp],
      [manager, crashed],
    ] as const) {
      expect(messagesTo(p)).toHaveLength(1);
      expect(messagesTo(p)[0].messageId).toBe(messageIdFor(planned.batchKey, MAIL_FROM));
    }
    const [crashedRow] = (await rowsFor(manager)).filter((r) => r.batch_key === crashed.batchKey);
    expect(crashedRow).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('shares the work between two workers on one queue without sending anything twice', async () => {
    extraWorkers.push(await startWorker());
    const { org, insp } = await force();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    const liaisons = await Promise.all(Array.from({ length: 40 }, () => person('liaison', [org.id])));
    const sendAt = new Date(Date.now() + 1000);
    const rows = liaisons.map((l) =>
      notice(rec, NotificationKind.Overdue, DeadlineType.ActionPlan, rec.actionPlanDueAt, l, sendAt),
    );
    const batches = await ledger(rows, [rec]);
    expect(batches).toHaveLength(40);
    // Ten more drains of the slot, as if BullMQ ran its job many times over: the ledger's claim must still win.
    const slot = slotOf(sendAt);
    await notifications().addBulk(
      Array.from({ length: 10 }, (_, i) => ({
        name: JobName.DispatchDue,
        data: { slot, drain: 0 },
        opts: { jobId: `again.${slot}.${i}`, delay: slot - Date.now() },
      })),
    );

    const emails = new Set(liaisons.map((l) => l.email));
    const ours = () => catcher.messages.filter((m) => m.envelope.to.some((t) => emails.has(t)));
    await catcher.waitFor(() => ours().length >= 40, 15_000);
    await settledFor(liaisons);
    expect(ours()).toHaveLength(40);
    expect(new Set(ours().map((m) => m.messageId)).size).toBe(40);
    const stored: { status: string; attempts: number }[] = await ds.query(
      `SELECT status, attempts FROM notifications WHERE recipient_id = ANY($1::uuid[])`,
      [liaisons.map((l) => l.id)],
    );
    expect(stored.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });
  it('stops on shutdown after the round in hand, and leaves the rest to the next worker, sent once', async () => {
    // Workers of their own queue, so that this file's main worker cannot help.
    const ownPrefix = `${prefix}-stop`;
    const first = await startWorker(ownPrefix);
    const { org, insp } = await force();
    const rec = await recommendation(insp, org.id, {
      actionPlanDueAt: new Date(Date.now() - HOUR),
      dueAt: new Date(Date.now() + 30 * DAY),
    });
    const liaisons = await Promise.all(Array.from({ length: CLAIM_BATCHES * 8 }, () => person('liaison', [org.id])));
    const rows = liaisons.map((l) =>
      notice(
        rec,
        NotificationKind.Overdue,
        DeadlineType.ActionPlan,
        rec.actionPlanDueAt,
        l,
        new Date(Date.now() + 500),
      ),
    );
    const planner = first.get(NotificationPlanner);
    const batches = await ds.transaction((manager) =>
      planner.insert(new Repositories(manager), rows, new Map([[rec.id, rec]])),
    );
    await first.get<NotificationScheduler>(NOTIFICATION_SCHEDULER).addSlotJobs(batches);
    const emails = new Set(liaisons.map((l) => l.email));
    const ours = () => catcher.messages.filter((m) => m.envelope.to.some((t) => emails.has(t)));
    const statuses = async () =>
      Object.fromEntries(
        (
          await ds.query<
            {
              status: string;
              n: number;
            }[]
          >(`SELECT status, count(*)::int AS n FROM notifications WHERE recipient_id = ANY($1::uuid[]) GROUP BY 1`, [
            liaisons.map((l) => l.id),
          ])
        ).map((r) => [r.status, r.n]),
      );

    await catcher.waitFor(() => ours().length > 0, 10_000);
    // close() resolves once the worker has stopped: every round it began was finished and recorded, and it began no
    // more.
    await first.close();
    const afterStop = await statuses();
    expect(afterStop.sending).toBeUndefined();
    expect(afterStop.scheduled).toBeGreaterThan(0);
    expect(afterStop.sent).toBe(ours().length);

    const next = await startWorker(ownPrefix);
    try {
      await catcher.waitFor(() => ours().length >= liaisons.length, 20_000);
      await waitUntil('every row is recorded as sent', async () => (await statuses()).sent === liaisons.length);
      expect(ours()).toHaveLength(liaisons.length);
      expect(new Set(ours().map((m) => m.messageId)).size).toBe(liaisons.length);
    } finally {
      await next.close();
      await deleteQueueKeys(worker.get<Redis>(SCHEDULING_REDIS), ownPrefix);
    }
  });
});
