// The fan-out benchmark: 10,000 notices due at one instant, sent by the real worker, against raw pooled nodemailer in
// the same run.
import 'reflect-metadata';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { loadConfig } from '#config';
import { NotificationKind, NotificationStatus } from '#domain';
import { messageIdFor, renderEmail } from '#notifications';
import { QueueName, addDispatchJobs, deleteQueueKeys } from '#scheduling';
import { backendPids, commits, cpuBusySince, cpuByProcess, machineCpu, processTicks } from './cpu.js';
import { FanoutProbe, lateness, type Lateness, type ProbeReport } from './fanout-probe.js';
import { seed, writeLedger, type Fixtures } from './fanout-seed.js';
import { Sink } from './fanout-sink.js';
import { benchDatabase, REDIS_URL } from './support.js';

/*
 * Fan-out: EMAILS overdue notices, one per recipient and each its own batch, all due at the same instant,
 * delivered by the real worker (Nest application context in this process, or WORKERS child processes
 * running dist/apps/worker/main.js) to a loopback SMTP sink (fanout-sink.ts, in a thread of its own),
 * against raw pooled nodemailer sending the same number of comparable emails to the same sink, all at
 * once, in the same run.
 */

const EMAILS = Number(process.env.BENCH_FANOUT_EMAILS ?? 10_000);
/**
 * 0: the worker runs in this process (a Nest application context); n > 0: n `node dist/apps/worker/main.js` children.
 */
const WORKERS = Number(process.env.BENCH_FANOUT_WORKERS ?? 0);
const CONCURRENCY = Number(process.env.BENCH_FANOUT_CONCURRENCY ?? 50);
const SMTP_POOL = Number(process.env.BENCH_FANOUT_SMTP_POOL ?? 10);
const DB_POOL = Number(process.env.BENCH_FANOUT_DB_POOL ?? 20);

/** The benchmark's own processes by name, for the CPU split. */
function fanoutProcesses(workerPids: ReadonlySet<number>): Map<number, string> {
  const named = new Map<number, string>([
    [
      process.pid,
      WORKERS === 0 ? 'bench process (in-process worker + SMTP sink thread)' : 'bench process (SMTP sink thread)',
    ],
  ]);
  for (const pid of workerPids) named.set(pid, 'worker processes');
  return named;
}
/** Per-phase timings of the in-process worker, told by the dispatch pipeline's observer. */
const PROFILE = process.env.BENCH_FANOUT_PROFILE === '1';
/** How long before the slot the jobs are added: enough to write 10k rows and add 10k jobs. */
const LEAD_MS = Number(process.env.BENCH_FANOUT_LEAD_MS ?? 5_000);
const TIMEOUT_MS = Number(process.env.BENCH_FANOUT_TIMEOUT_MS ?? 300_000);
/** A small burst first (also warms the worker up): the lateness of a fan-out the machine can absorb. */
const SMALL_BURST = Number(process.env.BENCH_FANOUT_SMALL_BURST ?? 1000);
/** What-if experiments without touching the app: SQL run on the bench database after seeding, e.g. an index. */
const EXTRA_SQL = process.env.BENCH_FANOUT_SQL ?? '';

const MAIL_FROM = 'followup@bench.test';
const APP_BASE_URL = 'https://tracker.bench.test';
const DIGEST_WINDOW_MS = 1_000;

export type { Lateness };

/** The in-process worker's probe (FanoutProbe) and, for any worker, what the machine and the database did. */
export interface FanoutProfile extends Partial<ProbeReport> {
  /** Transactions committed in the bench database during the fan-out, per email. */
  commitsPerEmail: number;
  /** Share of both cores busy (all processes: node, PostgreSQL, Redis, others) during the fan-out. */
  machineCpuBusy: number;
  /** CPU seconds of this process during the fan-out (in-process worker + SMTP thread). */
  benchProcessCpuSeconds: number;
  /** CPU seconds per email during the fan-out, by process: the whole machine, not only this benchmark. */
  cpuMsPerEmail: Record<string, number>;
}

export interface FanoutResult {
  emails: number;
  workers: number;
  concurrency: number;
  smtpPoolSize: number;
  dbPoolSize: number;
  delivered: number;
  duplicates: number;
  ledgerSent: number;
  trackerSeconds: number;
  trackerPerSecond: number;
  lateness: Lateness;
  rawConnections: number;
  rawSeconds: number;
  rawPerSecond: number;
  rawLateness: Lateness;
  rawMachineCpuBusy: number;
  ratio: number;
  /** The same worker, SMALL_BURST notices due at once before the big fan-out: lateness when not saturated. */
  smallBurst: { emails: number; delivered: number; lateness: Lateness };
  /** How long before the slot the 10k jobs were in Redis (negative: after; the lateness then includes it). */
  scheduledAheadMs: number;
  rawCpuMsPerEmail: Record<string, number>;
  loadAverageAtStart: number;
  appVersion: string;
  /** BENCH_FANOUT_SQL, when a what-if experiment changed the bench database. */
  extraSql?: string;
  emailBytes: { tracker: number; raw: number };
  profile: FanoutProfile;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function appVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs', 'config'], {
      encoding: 'utf8',
    }).trim();
    return dirty ? `${head} + uncommitted changes to ${dirty.split('\n').length} app file(s)` : head;
  } catch {
    return 'unknown';
  }
}

// ------------------------------------------------------------------------------------------ the benchmark

export async function benchFanout(): Promise<FanoutResult> {
  const loadAverageAtStart = loadavg()[0];
  const version = appVersion();
  const db = await benchDatabase(5);
  const dbName = new URL(db.url).pathname.slice(1);
  const prefix = `bench-fanout-${randomBytes(3).toString('hex')}`;
  const sink = await Sink.start();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const workerEnv: Record<string, string> = {
    DATABASE_URL: db.url,
    REDIS_URL,
    SMTP_URL: sink.url,
    QUEUE_PREFIX: prefix,
    SEND_WINDOW: 'always',
    DIGEST_WINDOW: `PT${DIGEST_WINDOW_MS / 1000}S`,
    WORKER_CONCURRENCY: String(CONCURRENCY),
    SMTP_POOL_SIZE: String(SMTP_POOL),
    DB_POOL_SIZE: String(DB_POOL),
    MAIL_FROM,
    APP_BASE_URL,
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig({ ...process.env, ...workerEnv });
  const queue = new Queue(QueueName.Notifications, { connection: redis, prefix });
  let stopWorkers: () => Promise<void> = async () => undefined;
  try {
    const fixtures = await seed(db.ds, EMAILS + SMALL_BURST);
    if (EXTRA_SQL) await db.ds.query(EXTRA_SQL);
    const bigUsers = fixtures.users.slice(0, EMAILS);
    const smallUsers = fixtures.users.slice(EMAILS);

    // ---- Baseline: raw pooled nodemailer, the same total connections, every email handed over at once.
    const rawConnections = SMTP_POOL * Math.max(1, WORKERS);
    const sample = renderEmail({
      kind: NotificationKind.Overdue,
      recipient: { name: 'Liaison 00001', email: 'liaison-00001@bench.test' },
      items: [
        {
          recommendationId: fixtures.recs[0].id,
          organisationName: fixtures.organisationName,
          inspectionTitle: fixtures.recs[0].inspectionTitle,
          reference: fixtures.recs[0].reference,
          recommendationText: fixtures.recs[0].text,
          deadlineType: 'action_plan',
          deadlineAt: fixtures.recs[0].actionPlanDueAt,
          daysOverdue: 10,
        },
      ],
      appBaseUrl: APP_BASE_URL,
    });
    const transport = nodemailer.createTransport({
      url: sink.url,
      pool: true,
      maxConnections: rawConnections,
      maxMessages: Infinity,
    });
    const raw = await (async () => {
      const { reached } = sink.expect(EMAILS, TIMEOUT_MS);
      const cpu = machineCpu();
      const ticks = processTicks();
      const started = performance.timeOrigin + performance.now();
      await Promise.all(
        bigUsers.map((u, i) =>
          transport.sendMail({
            from: MAIL_FROM,
            to: u.email,
            subject: sample.subject,
            text: sample.text.replace('Liaison 00001', u.name),
            html: sample.html.replace('Liaison 00001', u.name),
            messageId: messageIdFor(`raw.${i}`, MAIL_FROM),
            headers: { 'X-Followup-Kind': NotificationKind.Overdue },
          }),
        ),
      );
      await reached;
      const cpuBusy = cpuBusySince(cpu);
      const cpuMs = cpuByProcess(ticks, processTicks(), EMAILS, fanoutProcesses(new Set()), new Set());
      return { started, arrivals: await sink.collect(), cpuBusy, cpuMs };
    })();
    transport.close();
    const rawTimes = raw.arrivals.map((a) => a.at - raw.started);
    const rawSeconds = Math.max(...rawTimes) / 1000;
    const rawPerSecond = raw.arrivals.length / rawSeconds;

    // ---- The tracker: start the real worker, then make batches due at one instant.
    const probe = WORKERS === 0 ? new FanoutProbe(PROFILE) : null;
    const workers = await startWorkers(workerEnv, queue, probe);
    stopWorkers = workers.stop;

    /** Writes one overdue row per user (each its own batch), adds their jobs, waits for the emails. */
    const burst = async (users: Fixtures['users'], measure?: { start(): void; stop(): void }) => {
      const slot = Math.ceil((Date.now() + LEAD_MS) / DIGEST_WINDOW_MS) * DIGEST_WINDOW_MS;
      const batches = await writeLedger(db.ds, fixtures, users, new Date(slot - DIGEST_WINDOW_MS), DIGEST_WINDOW_MS);
      if (batches.some((b) => b.slot.getTime() !== slot)) throw new Error('a batch is not in the slot expected');
      const { reached } = sink.expect(users.length, TIMEOUT_MS);
      await addDispatchJobs(queue, config, batches);
      const scheduledAheadMs = slot - Date.now();
      if (scheduledAheadMs < 0)
        console.warn(`fanout: jobs added ${-scheduledAheadMs} ms after the slot; raise BENCH_FANOUT_LEAD_MS`);
      if (scheduledAheadMs > 0) await sleep(scheduledAheadMs);
      measure?.start();
      const complete = await reached;
      measure?.stop();
      if (!complete) console.warn(`fanout: only some of ${users.length} emails arrived within ${TIMEOUT_MS} ms`);
      await sleep(300); // anything doubled would arrive right behind
      const arrivals = await sink.collect();
      const sent: { message_id: string }[] = await db.ds.query(
        `SELECT message_id FROM notifications WHERE status = $2 AND batch_key = ANY($1::text[])`,
        [batches.map((b) => b.batchKey), NotificationStatus.Sent],
      );
      // The ledger says which Message-ID each batch went out under (fixed at its claim).
      const expected = new Set(sent.map((r) => r.message_id));
      const seen = new Map<string, number>();
      for (const a of arrivals) seen.set(a.messageId, (seen.get(a.messageId) ?? 0) + 1);
      return {
        slot,
        scheduledAheadMs,
        arrivals,
        ledgerSent: sent.length,
        delivered: [...seen.keys()].filter((id) => expected.has(id)).length,
        duplicates: [...seen.values()].reduce((n, c) => n + Math.max(0, c - 1), 0),
        late: arrivals.map((a) => a.at - slot),
      };
    };

    const small = SMALL_BURST > 0 ? await burst(smallUsers) : null;

    let commitsBefore = 0;
    let cpu = machineCpu();
    let ticks = processTicks();
    let ticksAfter = ticks;
    let cpuProcess = process.cpuUsage();
    let machineCpuBusy = 0;
    let processCpu = { user: 0, system: 0 };
    const big = await burst(bigUsers, {
      start() {
        // synchronous: the slot has come; the commit counter is read right after (one query)
        cpu = machineCpu();
        ticks = processTicks();
        cpuProcess = process.cpuUsage();
        if (workers.app) probe?.start(workers.app);
        void commits(admin, dbName).then((n) => (commitsBefore = n));
      },
      stop() {
        // the last email has arrived: read the counters before anything else runs
        machineCpuBusy = cpuBusySince(cpu);
        processCpu = process.cpuUsage(cpuProcess);
        ticksAfter = processTicks();
        probe?.stop();
      },
    });
    const { user, system } = processCpu;
    const cpuMs = cpuByProcess(
      ticks,
      ticksAfter,
      big.arrivals.length,
      fanoutProcesses(workers.pids),
      await backendPids(admin, dbName),
    );
    const commitsDuring = (await commits(admin, dbName)) - commitsBefore;

    const trackerSeconds = Math.max(...big.late) / 1000;
    const trackerPerSecond = big.delivered / trackerSeconds;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

    return {
      emails: EMAILS,
      workers: WORKERS,
      concurrency: CONCURRENCY,
      smtpPoolSize: SMTP_POOL,
      dbPoolSize: DB_POOL,
      delivered: big.delivered,
      duplicates: big.duplicates,
      ledgerSent: big.ledgerSent,
      trackerSeconds,
      trackerPerSecond,
      lateness: lateness(big.late),
      rawConnections,
      rawSeconds,
      rawPerSecond,
      rawLateness: lateness(rawTimes),
      rawMachineCpuBusy: raw.cpuBusy,
      ratio: trackerPerSecond / rawPerSecond,
      smallBurst: { emails: SMALL_BURST, delivered: small?.delivered ?? 0, lateness: lateness(small?.late ?? []) },
      scheduledAheadMs: big.scheduledAheadMs,
      rawCpuMsPerEmail: raw.cpuMs,
      loadAverageAtStart,
      appVersion: version,
      ...(EXTRA_SQL ? { extraSql: EXTRA_SQL } : {}),
      emailBytes: {
        tracker: Math.round(mean(big.arrivals.map((a) => a.bytes))),
        raw: Math.round(mean(raw.arrivals.map((a) => a.bytes))),
      },
      profile: {
        ...(probe ? probe.report(big.slot, big.arrivals.length) : {}),
        commitsPerEmail: commitsDuring / Math.max(1, big.arrivals.length),
        machineCpuBusy,
        benchProcessCpuSeconds: (user + system) / 1e6,
        cpuMsPerEmail: cpuMs,
      },
    };
  } finally {
    await stopWorkers().catch((err: unknown) => console.warn('fanout: stopping the workers failed', err));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await deleteQueueKeys(redis, prefix);
    redis.disconnect();
    await admin.end().catch(() => undefined);
    await sink.close();
    await db.drop();
  }
}

// ------------------------------------------------------------------------------------------ workers

interface RunningWorkers {
  app: INestApplicationContext | null;
  pids: Set<number>;
  /** A function of its own (it needs no `this`). */
  stop: () => Promise<void>;
}

/** Starts the worker(s) and waits until BullMQ sees them listening on the notifications queue. */
async function startWorkers(
  env: Record<string, string>,
  queue: Queue,
  probe: FanoutProbe | null,
): Promise<RunningWorkers> {
  if (WORKERS === 0) {
    // The app reads process.env when its config provider runs: set it for the boot, then put it back.
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    let app: INestApplicationContext;
    try {
      const { WorkerModule } = await import('../apps/worker/src/worker.module.js');
      const module = probe ? WorkerModule.observed(probe.observer) : WorkerModule;
      app = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'], abortOnError: false });
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    await waitForWorkers(queue, 1, []);
    return { app, pids: new Set(), stop: () => app.close() };
  }

  const children: ChildProcess[] = [];
  const output: string[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const child = spawn(process.execPath, ['dist/apps/worker/main.js'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    children.push(child);
  }
  await waitForWorkers(queue, WORKERS, children, output);
  return {
    app: null,
    pids: new Set(children.map((c) => c.pid!)),
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

async function waitForWorkers(
  queue: Queue,
  count: number,
  children: ChildProcess[],
  output: string[] = [],
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await queue.getWorkersCount()) < count) {
    const dead = children.find((c) => c.exitCode !== null);
    if (dead || Date.now() > deadline) throw new Error(`fanout: the worker did not start\n${output.join('')}`);
    await sleep(100);
  }
}
