// Scheduling throughput: planning recommendations' notices into the ledger and adding their slot jobs, against raw
// BullMQ addBulk.
import type { DataSource } from 'typeorm';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { NotificationPlanner } from '#application';
import { loadConfig } from '#config';
import { RecommendationEntity, Repositories } from '#persistence';
import { QueueName, addDispatchJobs } from '#scheduling';
import { benchDatabase, inParallel, REDIS_URL, seconds } from './support.js';

const FORCES = Number(process.env.BENCH_FORCES ?? 43);
const INSPECTIONS = Number(process.env.BENCH_INSPECTIONS ?? 20);
const RECOMMENDATIONS = Number(process.env.BENCH_RECOMMENDATIONS ?? 20);

export interface SchedulingResult {
  recommendations: number;
  notifications: number;
  /** Batches (emails to be) the ledger holds. */
  batches: number;
  /** Jobs in Redis: one per slot, however many batches share it. */
  jobs: number;
  trackerSeconds: number;
  rawSeconds: number;
  trackerPerSecond: number;
  rawPerSecond: number;
  ratio: number;
}

/**
 * Scheduling every deadline and reminder of FORCES × INSPECTIONS × RECOMMENDATIONS recommendations: our
 * path (plan, write the ledger in transactions, add the dispatch jobs) against raw BullMQ `addBulk` of one
 * delayed job per notification, on the same Redis in the same run. Throughput in notifications per second.
 */
export async function benchScheduling(): Promise<SchedulingResult> {
  const db = await benchDatabase();
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const config = loadConfig({ ...process.env, DATABASE_URL: db.url, SEND_WINDOW: 'always', QUEUE_PREFIX: prefix });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.Notifications, { connection: redis, prefix });
  const rawQueue = new Queue('raw-baseline', { connection: redis, prefix });
  try {
    const { inspectionIds, leadInspectorId } = await seed(db.ds);
    const planner = new NotificationPlanner(config);
    const now = new Date();

    let batchCount = 0;
    const started = process.hrtime.bigint();
    await inParallel(inspectionIds, 4, async (inspectionId) => {
      const batches = await db.ds.transaction(async (manager) => {
        const recs = await manager.find(RecommendationEntity, { where: { inspectionId } });
        return planner.syncRecommendations(new Repositories(manager), recs, leadInspectorId, now);
      });
      batchCount += batches.length;
      await addDispatchJobs(queue, config, batches);
    });
    const trackerSeconds = seconds(started);
    const { delayed: jobs } = await queue.getJobCounts('delayed');
    const [{ count: notifications }]: { count: number }[] = await db.ds.query(
      `SELECT count(*)::int AS count FROM notifications`,
    );

    const rawStarted = process.hrtime.bigint();
    for (let start = 0; start < notifications; start += 1000) {
      const size = Math.min(1000, notifications - start);
      await rawQueue.addBulk(
        Array.from({ length: size }, (_, i) => ({
          name: 'notify',
          data: { id: start + i },
          opts: { delay: 86_400_000 + i },
        })),
      );
    }
    const rawSeconds = seconds(rawStarted);
    return {
      recommendations: FORCES * INSPECTIONS * RECOMMENDATIONS,
      notifications,
      batches: batchCount,
      jobs,
      trackerSeconds,
      rawSeconds,
      trackerPerSecond: notifications / trackerSeconds,
      rawPerSecond: notifications / rawSeconds,
      ratio: rawSeconds / trackerSeconds,
    };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await rawQueue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await rawQueue.close();
    redis.disconnect();
    await db.drop();
  }
}

/** One liaison, one manager per force and one lead inspector; every deadline in the future. Not timed. */
async function seed(ds: DataSource): Promise<{ inspectionIds: string[]; leadInspectorId: string }> {
  const [{ id: leadInspectorId }]: { id: string }[] = await ds.query(
    `INSERT INTO users (email, name, password_hash, role) VALUES ('lead@bench.test', 'Lead', 'x', 'inspector') RETURNING id`,
  );
  await ds.query(
    `INSERT INTO users (email, name, password_hash, role) VALUES ('manager@bench.test', 'Manager', 'x', 'manager')`,
  );
  await ds.query(
    `WITH orgs AS (
       INSERT INTO organisations (name, code) SELECT 'Force ' || g, 'F' || g FROM generate_series(1, $1) g RETURNING id, code
     ), liaisons AS (
       INSERT INTO users (email, name, password_hash, role)
       SELECT lower(code) || '@bench.test', 'Liaison ' || code, 'x', 'liaison' FROM orgs RETURNING id, email
     )
     INSERT INTO user_organisations (user_id, organisation_id)
     SELECT l.id, o.id FROM liaisons l JOIN orgs o ON l.email = lower(o.code) || '@bench.test'`,
    [FORCES],
  );
  await ds.query(
    `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
     SELECT o.id, 'Inspection ' || g, 'NCPI', now() + interval '1 day', $1, now() + interval '43 days', now() + interval '183 days'
       FROM organisations o CROSS JOIN generate_series(1, $2) g`,
    [leadInspectorId, INSPECTIONS],
  );
  await ds.query(
    `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, due_at, action_plan_due_at, next_deadline_at, status)
     SELECT i.id, i.organisation_id, 'R' || g, 'Recommendation ' || g, i.revisit_due_at, i.action_plan_due_at, i.action_plan_due_at, 'issued'
       FROM inspections i CROSS JOIN generate_series(1, $1) g`,
    [RECOMMENDATIONS],
  );
  const rows: { id: string }[] = await ds.query(`SELECT id FROM inspections ORDER BY id`);
  return { inspectionIds: rows.map((r) => r.id), leadInspectorId };
}
