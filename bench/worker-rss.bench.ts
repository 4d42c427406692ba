// Worker memory over a long run: the production worker process (dist/apps/worker/main.js) sends NOTICES
// due notices to a loopback SMTP sink while its resident set size is sampled; flat means the last decile
// of the run within 10 % of the first.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { SMTPServerDataStream } from 'smtp-server';
import { NotificationStatus } from '#domain';
import { deleteQueueKeys } from '#scheduling';
import { seed } from './fanout-seed.js';
import { MessageHead, startLoopbackSmtp } from './loopback-smtp.js';
import { benchDatabase, median, REDIS_URL } from './support.js';

/** `BENCH_RSS_NOTICES=1000000` for the million (about 40 minutes on two quiet cores); the default takes a few. */
const NOTICES = Number(process.env.BENCH_RSS_NOTICES ?? 100_000);
const RECIPIENTS = Math.min(NOTICES, 10_000);
const SAMPLE_EVERY_MS = 1_000;
const TIMEOUT_MS = Number(process.env.BENCH_RSS_TIMEOUT_MS ?? 7_200_000);
/**
 * `BENCH_RSS_MAX_OLD_SPACE_MB=128` caps the worker's V8 old space: a leak then ends the run with an
 * out-of-memory exit instead of hiding in a heap V8 is merely slow to shrink.
 */
const MAX_OLD_SPACE_MB = process.env.BENCH_RSS_MAX_OLD_SPACE_MB;
const WORKER_ENTRY = fileURLToPath(new URL('../apps/worker/main.js', import.meta.url));

export interface RssSample {
  atMs: number;
  delivered: number;
  rssMb: number;
}

export interface WorkerRssResult {
  notices: number;
  /** The worker's V8 old-space cap in MB, when the run set one. */
  maxOldSpaceMb: number | null;
  delivered: number;
  distinctMessageIds: number;
  ledgerSent: number;
  seconds: number;
  perSecond: number;
  /** Median RSS of the samples taken while the first / last 10 % of the notices went out. */
  firstDecileMb: number;
  lastDecileMb: number;
  /** last / first − 1. */
  growth: number;
  peakMb: number;
  samples: RssSample[];
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

/** Counts what arrives and keeps each Message-ID (to find doubles); parses nothing else. */
async function startSink(): Promise<{ port: number; ids: Set<string>; count(): number; close(): Promise<void> }> {
  const ids = new Set<string>();
  let delivered = 0;
  const smtp = await startLoopbackSmtp({
    maxClients: 1000,
    onData(stream: SMTPServerDataStream, _session, callback) {
      const head = new MessageHead();
      stream.on('data', (chunk: Buffer) => head.add(chunk));
      stream.on('end', () => {
        delivered += 1;
        ids.add(head.messageId());
        callback(null, 'Message accepted');
      });
    },
  });
  return { port: smtp.port, ids, count: () => delivered, close: () => smtp.close() };
}

export async function benchWorkerRss(): Promise<WorkerRssResult> {
  const db = await benchDatabase(2);
  const sink = await startSink();
  const prefix = `bench-rss-${randomBytes(4).toString('hex')}`;
  let worker: ReturnType<typeof spawn> | undefined;
  try {
    const fixtures = await seed(db.ds, RECIPIENTS);
    // NOTICES overdue rows, each its own batch: recipient g % RECIPIENTS, in window g / RECIPIENTS (1 s
    // windows, an hour ago and earlier), so the worker's start-up reconcile finds them all late at once.
    // Written in SQL for speed: the batch key is formatBatchKey's text (kind.recipient.windowStartMs).
    await db.ds.query(
      `INSERT INTO notifications (dedup_key, recommendation_id, inspection_id, organisation_id, deadline_type, deadline_at, kind,
                                  offset_key, recipient_id, recipient_email, send_at, batch_key, status)
       SELECT 'bench|' || g, r.id, r.inspection_id, r.organisation_id, 'action_plan', r.action_plan_due_at, 'overdue', 'immediate',
              u.id, u.email, t.send_at, 'overdue.' || u.id || '.' || (extract(epoch FROM t.send_at) * 1000)::bigint, $4
         FROM generate_series(0, $1 - 1) g
         JOIN (SELECT id, email, row_number() OVER (ORDER BY email) - 1 AS n FROM users WHERE role = 'liaison') u ON u.n = g % $2
         JOIN (SELECT id, inspection_id, organisation_id, action_plan_due_at, row_number() OVER (ORDER BY id) - 1 AS n FROM recommendations) r ON r.n = g % $3
         CROSS JOIN LATERAL (SELECT date_trunc('second', now()) - interval '1 hour' - (g / $2) * interval '1 second' AS send_at) t`,
      [NOTICES, RECIPIENTS, fixtures.recs.length, NotificationStatus.Scheduled],
    );
    await db.ds.query('VACUUM ANALYZE notifications');

    const started = Date.now();
    worker = spawn(process.execPath, [WORKER_ENTRY], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_OPTIONS: MAX_OLD_SPACE_MB ? `--max-old-space-size=${MAX_OLD_SPACE_MB}` : '',
        TZ: 'UTC',
        NODE_ENV: 'production',
        AUDIT_KEY: randomBytes(32).toString('hex'), // production refuses to start without a key of its own
        LOG_LEVEL: 'warn',
        DATABASE_URL: db.url,
        REDIS_URL,
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        QUEUE_PREFIX: prefix,
        MAIL_FROM: 'followup@bench.test',
        APP_BASE_URL: 'https://tracker.bench.test',
        SEND_WINDOW: 'always',
        DIGEST_WINDOW: 'PT1S',
        RECONCILE_EVERY: 'PT10S',
        WORKER_CONCURRENCY: '50',
        SMTP_POOL_SIZE: '10',
        DB_POOL_SIZE: '20',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const samples: RssSample[] = [];
    while (sink.count() < NOTICES) {
      if (worker.exitCode !== null)
        throw new Error(`the worker exited ${worker.exitCode} after ${sink.count()} notices`);
      if (Date.now() - started > TIMEOUT_MS)
        throw new Error(`only ${sink.count()} of ${NOTICES} notices within ${TIMEOUT_MS} ms`);
      samples.push({ atMs: Date.now() - started, delivered: sink.count(), rssMb: rssMb(worker.pid!) });
      if (samples.length % 60 === 0)
        console.log(`  worker rss: ${sink.count()} of ${NOTICES} sent, ${samples.at(-1)!.rssMb.toFixed(0)} MB`);
      await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
    }
    const seconds = (Date.now() - started) / 1000;
    samples.push({ atMs: Date.now() - started, delivered: sink.count(), rssMb: rssMb(worker.pid!) });
    const [{ sent }]: { sent: number }[] = await db.ds.query(
      `SELECT count(*)::int AS sent FROM notifications WHERE status = $1`,
      [NotificationStatus.Sent],
    );
    const first = samples.filter((s) => s.delivered > 0 && s.delivered <= NOTICES * 0.1).map((s) => s.rssMb);
    const last = samples.filter((s) => s.delivered >= NOTICES * 0.9).map((s) => s.rssMb);
    const firstDecileMb = median(first.length ? first : [samples[0].rssMb]);
    const lastDecileMb = median(last);
    return {
      notices: NOTICES,
      maxOldSpaceMb: MAX_OLD_SPACE_MB ? Number(MAX_OLD_SPACE_MB) : null,
      delivered: sink.count(),
      distinctMessageIds: sink.ids.size,
      ledgerSent: sent,
      seconds,
      perSecond: sink.count() / seconds,
      firstDecileMb,
      lastDecileMb,
      growth: lastDecileMb / firstDecileMb - 1,
      peakMb: Math.max(...samples.map((s) => s.rssMb)),
      samples,
    };
  } finally {
    if (worker && worker.exitCode === null) {
      const exited = once(worker, 'exit');
      worker.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
    await sink.close();
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await deleteQueueKeys(redis, prefix).catch(() => {});
    redis.disconnect();
    await db.drop();
  }
}
