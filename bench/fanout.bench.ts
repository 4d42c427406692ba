import 'reflect-metadata';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker as Thread, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { DataSource } from 'typeorm';
import { loadConfig } from '#config';
import { DeadlineType, IMMEDIATE_OFFSET, NotificationKind, batchKeyFor, batchSendTime, dedupKeyFor } from '#domain';
import { Mailer, messageIdFor, renderEmail } from '#notifications';
import { QueueName, addDispatchJobs, deleteQueueKeys } from '#scheduling';
import { benchDatabase, percentile, REDIS_URL } from './support.js';

/*
 * Fan-out: EMAILS overdue notices, one per recipient and each its own batch, all due at the same instant,
 * delivered by the real worker (Nest application context in this process, or WORKERS child processes
 * running dist/apps/worker/main.js) to a loopback SMTP server, against raw pooled nodemailer sending the
 * same number of comparable emails to the same server, all at once, in the same run.
 *
 * The SMTP server runs in a worker thread of this process, so that accepting mail does not share an
 * event loop with the sender being measured (in-process worker or raw nodemailer alike).
 */

const EMAILS = Number(process.env.BENCH_FANOUT_EMAILS ?? 10_000);
/** 0: the worker runs in this process (a Nest application context); n > 0: n `node dist/apps/worker/main.js` children. */
const WORKERS = Number(process.env.BENCH_FANOUT_WORKERS ?? 0);
const CONCURRENCY = Number(process.env.BENCH_FANOUT_CONCURRENCY ?? 50);
const SMTP_POOL = Number(process.env.BENCH_FANOUT_SMTP_POOL ?? 10);
const DB_POOL = Number(process.env.BENCH_FANOUT_DB_POOL ?? 20);
/** Per-phase timings of the in-process worker (wraps methods; adds a little overhead). */
const PROFILE = process.env.BENCH_FANOUT_PROFILE === '1';
/** How long before the due instant the jobs are added: enough to write 10k rows and add 10k jobs. */
const LEAD_MS = Number(process.env.BENCH_FANOUT_LEAD_MS ?? 5_000);
const TIMEOUT_MS = Number(process.env.BENCH_FANOUT_TIMEOUT_MS ?? 300_000);
/** A small burst first (also warms the worker up): the lateness of a fan-out the machine can absorb. */
const SMALL_BURST = Number(process.env.BENCH_FANOUT_SMALL_BURST ?? 1000);
/** What-if experiments without touching the app: SQL run on the bench database after seeding, e.g. an index. */
const EXTRA_SQL = process.env.BENCH_FANOUT_SQL ?? '';

const MAIL_FROM = 'followup@bench.test';
const APP_BASE_URL = 'https://tracker.bench.test';
const DIGEST_WINDOW_MS = 1_000;
const RECOMMENDATIONS = 20;
const INSPECTIONS = 5;

export interface Lateness {
  minMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface FanoutProfile {
  /** Database round trips (queries incl. BEGIN/COMMIT) per email, in-process worker only. */
  dbRoundTripsPerEmail?: number;
  /** Mean milliseconds per phase of one dispatch job, in-process worker only (PROFILE=1). */
  phaseMeanMs?: Record<string, number>;
  /** Job start minus due instant: how long BullMQ kept due jobs waiting for a free slot. */
  jobStartLateness?: Lateness;
  /** Peak jobs in flight / peak connections waiting for the database pool. */
  peakInFlight?: number;
  peakPoolWaiting?: number;
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
  /** How long before the due instant the 10k jobs were in Redis (negative: after; the lateness then includes it). */
  scheduledAheadMs: number;
  rawCpuMsPerEmail: Record<string, number>;
  loadAverageAtStart: number;
  appVersion: string;
  /** BENCH_FANOUT_SQL, when a what-if experiment changed the bench database. */
  extraSql?: string;
  emailBytes: { tracker: number; raw: number };
  profile: FanoutProfile;
}

// ------------------------------------------------------------------------------------------ SMTP sink

interface Arrival {
  messageId: string;
  at: number;
  bytes: number;
}

type SinkCommand = { cmd: 'expect'; count: number } | { cmd: 'collect' } | { cmd: 'close' };
type SinkEvent = { type: 'listening'; port: number } | { type: 'reached' } | { type: 'arrivals'; arrivals: Arrival[] } | { type: 'closed' };

/** Runs inside the worker thread: accepts everything, keeps (Message-ID, arrival time, size) per message. */
function runSink(): void {
  const port = parentPort!;
  let arrivals: Arrival[] = [];
  let expected = Infinity;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    maxClients: 1000,
    onData(stream: SMTPServerDataStream, _session, callback) {
      let head = '';
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (head.length < 16_384 && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const at = performance.timeOrigin + performance.now();
        const messageId = /^message-id:\s*(\S+)/im.exec(head.split('\r\n\r\n')[0])?.[1] ?? '';
        arrivals.push({ messageId, at, bytes });
        if (arrivals.length === expected) port.postMessage({ type: 'reached' } satisfies SinkEvent);
        callback(null, 'Message accepted');
      });
    },
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.server.address();
    port.postMessage({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 } satisfies SinkEvent);
  });
  port.on('message', (msg: SinkCommand) => {
    if (msg.cmd === 'expect') {
      arrivals = [];
      expected = msg.count;
    } else if (msg.cmd === 'collect') {
      port.postMessage({ type: 'arrivals', arrivals } satisfies SinkEvent);
    } else if (msg.cmd === 'close') {
      server.close(() => port.postMessage({ type: 'closed' } satisfies SinkEvent));
    }
  });
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'fanout-smtp-sink') runSink();

class Sink {
  private constructor(
    private readonly thread: Thread,
    readonly url: string,
  ) {}

  static async start(): Promise<Sink> {
    const thread = new Thread(new URL(import.meta.url), { workerData: { role: 'fanout-smtp-sink' } });
    const [event] = (await once(thread, 'message')) as [SinkEvent];
    if (event.type !== 'listening') throw new Error('SMTP sink did not start');
    return new Sink(thread, `smtp://127.0.0.1:${event.port}`);
  }

  /** Forgets what arrived so far; `reached` resolves when `count` messages have arrived (or at the deadline). */
  expect(count: number, timeoutMs: number): { reached: Promise<boolean> } {
    this.thread.postMessage({ cmd: 'expect', count } satisfies SinkCommand);
    const reached = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.thread.off('message', onMessage);
        resolve(false);
      }, timeoutMs);
      const onMessage = (e: SinkEvent) => {
        if (e.type !== 'reached') return;
        clearTimeout(timer);
        this.thread.off('message', onMessage);
        resolve(true);
      };
      this.thread.on('message', onMessage);
    });
    return { reached };
  }

  async collect(): Promise<Arrival[]> {
    const got = this.next('arrivals');
    this.thread.postMessage({ cmd: 'collect' } satisfies SinkCommand);
    return ((await got) as Extract<SinkEvent, { type: 'arrivals' }>).arrivals;
  }

  async close(): Promise<void> {
    const closed = this.next('closed');
    this.thread.postMessage({ cmd: 'close' } satisfies SinkCommand);
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
    await this.thread.terminate();
  }

  private next(type: SinkEvent['type']): Promise<SinkEvent> {
    return new Promise((resolve) => {
      const onMessage = (e: SinkEvent) => {
        if (e.type !== type) return;
        this.thread.off('message', onMessage);
        resolve(e);
      };
      this.thread.on('message', onMessage);
    });
  }
}

// ------------------------------------------------------------------------------------------ measuring

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

function cpuBusySince(start: { busy: number; total: number }): number {
  const now = machineCpu();
  return (now.busy - start.busy) / Math.max(1, now.total - start.total);
}

function lateness(values: number[]): Lateness {
  if (values.length === 0) return { minMs: NaN, p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
  return { minMs: Math.min(...values), p50Ms: percentile(values, 50), p99Ms: percentile(values, 99), maxMs: Math.max(...values) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function commits(admin: pg.Client, dbName: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1`, [dbName]);
  return Number(rows[0]?.n ?? 0);
}

/** CPU ticks (1/100 s) used so far by every process on the machine, from /proc/<pid>/stat. */
function processTicks(): Map<number, { comm: string; ticks: number }> {
  const out = new Map<number, { comm: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const rest = stat.slice(close + 2).split(' ');
      out.set(Number(entry), { comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Where the CPU went between two snapshots, in ms per email, by kind of process. */
function cpuByProcess(
  before: Map<number, { comm: string; ticks: number }>,
  after: Map<number, { comm: string; ticks: number }>,
  emails: number,
  who: { workerPids: Set<number>; benchBackends: Set<number> },
): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const [pid, { comm, ticks }] of after) {
    const delta = ticks - (before.get(pid)?.ticks ?? 0);
    if (delta <= 0) continue;
    const kind =
      pid === process.pid
        ? WORKERS === 0
          ? 'bench process (in-process worker + SMTP sink thread)'
          : 'bench process (SMTP sink thread)'
        : who.workerPids.has(pid)
          ? 'worker processes'
          : comm === 'postgres'
            ? who.benchBackends.has(pid)
              ? 'postgres backends of the bench database'
              : 'postgres, other (WAL writer, checkpointer, other databases)'
            : comm.startsWith('redis-server')
              ? 'redis'
              : 'other processes (not this benchmark)';
    sums[kind] = (sums[kind] ?? 0) + delta;
  }
  return Object.fromEntries(Object.entries(sums).map(([k, ticks]) => [k, Number(((ticks * 10) / Math.max(1, emails)).toFixed(2))]));
}

async function backendPids(admin: pg.Client, dbName: string): Promise<Set<number>> {
  const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [dbName]);
  return new Set(rows.map((r) => r.pid));
}

function appVersion(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'apps', 'libs', 'config'], { encoding: 'utf8' }).trim();
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
    const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: rawConnections, maxMessages: Infinity });
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
      const cpuMs = cpuByProcess(ticks, processTicks(), EMAILS, { workerPids: new Set(), benchBackends: new Set() });
      return { started, arrivals: await sink.collect(), cpuBusy, cpuMs };
    })();
    transport.close();
    const rawTimes = raw.arrivals.map((a) => a.at - raw.started);
    const rawSeconds = Math.max(...rawTimes) / 1000;
    const rawPerSecond = raw.arrivals.length / rawSeconds;

    // ---- The tracker: start the real worker, then make batches due at one instant.
    const workers = await startWorkers(workerEnv, queue);
    stopWorkers = workers.stop;
    const probe = await instrument(workers.app);

    /** Writes one overdue row per user (each its own batch), adds their jobs, waits for the emails. */
    const burst = async (users: Fixtures['users'], measure?: { start(): void; stop(): void }) => {
      const dueAt = Math.ceil((Date.now() + LEAD_MS) / DIGEST_WINDOW_MS) * DIGEST_WINDOW_MS;
      const batches = await writeLedger(db.ds, fixtures, users, new Date(dueAt - DIGEST_WINDOW_MS));
      if (batches.some((b) => b.sendAt.getTime() !== dueAt)) throw new Error('batch send time is not the window end');
      const { reached } = sink.expect(users.length, TIMEOUT_MS);
      await addDispatchJobs(queue, config, batches);
      const scheduledAheadMs = dueAt - Date.now();
      if (scheduledAheadMs < 0) console.warn(`fanout: jobs added ${-scheduledAheadMs} ms after the due instant; raise BENCH_FANOUT_LEAD_MS`);
      if (scheduledAheadMs > 0) await sleep(scheduledAheadMs);
      measure?.start();
      const complete = await reached;
      measure?.stop();
      if (!complete) console.warn(`fanout: only some of ${users.length} emails arrived within ${TIMEOUT_MS} ms`);
      await sleep(300); // anything doubled would arrive right behind
      const arrivals = await sink.collect();
      const sent: { message_id: string | null; batch_key: string }[] = await db.ds.query(
        `SELECT message_id, batch_key FROM notifications WHERE status = 'sent' AND batch_key = ANY($1::text[])`,
        [batches.map((b) => b.batchKey)],
      );
      // The ledger says which Message-ID each batch went out under; older builds derive it from the batch key.
      const expected = new Set(sent.map((r) => r.message_id ?? messageIdFor(r.batch_key, MAIL_FROM)));
      const seen = new Map<string, number>();
      for (const a of arrivals) seen.set(a.messageId, (seen.get(a.messageId) ?? 0) + 1);
      return {
        dueAt,
        scheduledAheadMs,
        arrivals,
        ledgerSent: sent.length,
        delivered: [...seen.keys()].filter((id) => expected.has(id)).length,
        duplicates: [...seen.values()].reduce((n, c) => n + Math.max(0, c - 1), 0),
        late: arrivals.map((a) => a.at - dueAt),
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
        // synchronous: the due instant has come; the commit counter is read right after (one query)
        cpu = machineCpu();
        ticks = processTicks();
        cpuProcess = process.cpuUsage();
        probe?.start();
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
    const cpuMs = cpuByProcess(ticks, ticksAfter, big.arrivals.length, { workerPids: workers.pids, benchBackends: await backendPids(admin, dbName) });
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
      emailBytes: { tracker: Math.round(mean(big.arrivals.map((a) => a.bytes))), raw: Math.round(mean(raw.arrivals.map((a) => a.bytes))) },
      profile: {
        ...(probe ? probe.report(big.dueAt, big.arrivals.length) : {}),
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
  stop(): Promise<void>;
}

/** Starts the worker(s) and waits until BullMQ sees them listening on the notifications queue. */
async function startWorkers(env: Record<string, string>, queue: Queue): Promise<RunningWorkers> {
  if (WORKERS === 0) {
    // The app reads process.env when its config provider runs: set it for the boot, then put it back.
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    let app: INestApplicationContext;
    try {
      const { WorkerModule } = await import('../apps/worker/src/worker.module.js');
      app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'], abortOnError: false });
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
    const child = spawn(process.execPath, ['dist/apps/worker/main.js'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
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

async function waitForWorkers(queue: Queue, count: number, children: ChildProcess[], output: string[] = []): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await queue.getWorkersCount()) < count) {
    const dead = children.find((c) => c.exitCode !== null);
    if (dead || Date.now() > deadline) throw new Error(`fanout: the worker did not start\n${output.join('')}`);
    await sleep(100);
  }
}

// ------------------------------------------------------------------------------------------ profiling

interface Probe {
  start(): void;
  stop(): void;
  report(dueAt: number, emails: number): Omit<FanoutProfile, 'commitsPerEmail' | 'machineCpuBusy' | 'benchProcessCpuSeconds' | 'cpuMsPerEmail'>;
}

/**
 * In-process only: counts database round trips (every pg query, BEGIN/COMMIT included), samples the pool's
 * waiting queue and jobs in flight and, with PROFILE, times each phase of DispatchService by wrapping its
 * methods. Nothing here changes what the worker does.
 */
async function instrument(app: INestApplicationContext | null): Promise<Probe | null> {
  if (!app) return null;
  const { DataSource: DataSourceClass } = await import('typeorm');
  const { DispatchService } = await import('../apps/worker/src/dispatch.service.js');
  const ds = app.get(DataSourceClass);
  const poolOf = () => (ds.driver as unknown as { master?: { waitingCount: number } }).master;
  let running = false;
  let queries = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  let peakWaiting = 0;
  const starts: number[] = [];
  const phases: Record<string, number[]> = {};

  const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const originalQuery = clientProto.query;
  clientProto.query = function (this: unknown, ...args: unknown[]) {
    if (running) queries++;
    return originalQuery.apply(this, args);
  };

  const proto = DispatchService.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const wrapped: [string, (...args: unknown[]) => Promise<unknown>][] = [];
  const wrap = (name: string, onCall?: (ms: number) => void, before?: () => void, after?: () => void) => {
    const original = proto[name];
    if (typeof original !== 'function') return; // renamed in this version of the worker: not timed
    wrapped.push([name, original]);
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      before?.();
      const t0 = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        onCall?.(performance.now() - t0);
        after?.();
      }
    };
  };
  const record = (phase: string) => (ms: number) => {
    if (running) (phases[phase] ??= []).push(ms);
  };
  wrap(
    'drain',
    record('drain (whole job)'),
    () => {
      inFlight++;
      if (!running) return;
      starts.push(performance.timeOrigin + performance.now());
      peakInFlight = Math.max(peakInFlight, inFlight);
    },
    () => inFlight--,
  );
  if (PROFILE) {
    wrap('claim', record('claim a round (transaction)'));
    wrap('loadRecommendations', record("load a round's recommendations"));
    wrap('record', record("record a round's outcomes"));
    const mailerProto = Mailer.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const send = mailerProto.send;
    mailerProto.send = async function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return await send.apply(this, args);
      } finally {
        record('SMTP send (pool queue + transaction)')(performance.now() - t0);
      }
    };
    wrapped.push(['__mailer', send]);
  }
  let sampler: NodeJS.Timeout | undefined;
  const restore = () => {
    clientProto.query = originalQuery;
    for (const [name, original] of wrapped) {
      if (name === '__mailer') (Mailer.prototype as unknown as Record<string, unknown>).send = original;
      else proto[name] = original;
    }
  };
  return {
    start() {
      running = true;
      sampler = setInterval(() => (peakWaiting = Math.max(peakWaiting, poolOf()?.waitingCount ?? 0)), 20);
    },
    stop() {
      running = false;
      clearInterval(sampler);
      restore();
    },
    report(dueAt, emails) {
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      return {
        dbRoundTripsPerEmail: queries / Math.max(1, emails),
        ...(PROFILE ? { phaseMeanMs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Number(mean(v).toFixed(2))])) } : {}),
        jobStartLateness: lateness(starts.map((s) => s - dueAt)),
        peakInFlight,
        peakPoolWaiting: peakWaiting,
      };
    },
  };
}

// ------------------------------------------------------------------------------------------ data

interface Fixtures {
  organisationId: string;
  organisationName: string;
  recs: { id: string; inspectionId: string; inspectionTitle: string; reference: string; text: string; actionPlanDueAt: Date }[];
  users: { id: string; email: string; name: string }[];
}

/** One force, INSPECTIONS × (RECOMMENDATIONS / INSPECTIONS) recommendations whose action plan is 10 days late, `liaisons` liaisons. */
export async function seed(ds: DataSource, liaisons: number): Promise<Fixtures> {
  const [lead]: { id: string }[] = await ds.query(
    `INSERT INTO users (email, name, password_hash, role) VALUES ('lead@bench.test', 'Lead Inspector', 'x', 'inspector') RETURNING id`,
  );
  const [org]: { id: string; name: string }[] = await ds.query(
    `INSERT INTO organisations (name, code) VALUES ('Northshire Police', 'NSP') RETURNING id, name`,
  );
  await ds.query(
    `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
     SELECT $1, 'PEEL inspection ' || g, 'PEEL', date_trunc('second', now()) - interval '52 days', $2,
            date_trunc('second', now()) - interval '10 days', date_trunc('second', now()) + interval '131 days'
       FROM generate_series(1, $3) g`,
    [org.id, lead.id, INSPECTIONS],
  );
  await ds.query(
    `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, due_at, action_plan_due_at, next_deadline_at, status)
     SELECT i.id, i.organisation_id, 'R' || g,
            'By the end of the year the force should make sure that every high-risk offender is visited as often as the plan requires (' || g || ').',
            i.revisit_due_at, i.action_plan_due_at, i.action_plan_due_at, 'issued'
       FROM inspections i CROSS JOIN generate_series(1, $1) g`,
    [RECOMMENDATIONS / INSPECTIONS],
  );
  const users: Fixtures['users'] = await ds.query(
    `WITH u AS (
       INSERT INTO users (email, name, password_hash, role)
       SELECT 'liaison-' || lpad(g::text, 5, '0') || '@bench.test', 'Liaison ' || lpad(g::text, 5, '0'), 'x', 'liaison'
         FROM generate_series(1, $1) g
       RETURNING id, email, name)
     SELECT id, email, name FROM u ORDER BY email`,
    [liaisons],
  );
  await ds.query(`INSERT INTO user_organisations (user_id, organisation_id) SELECT id, $1 FROM users WHERE role = 'liaison'`, [org.id]);
  const recs: { id: string; inspection_id: string; title: string; reference: string; text: string; action_plan_due_at: Date }[] = await ds.query(
    `SELECT r.id, r.inspection_id, i.title, r.reference, r.text, r.action_plan_due_at
       FROM recommendations r JOIN inspections i ON i.id = r.inspection_id ORDER BY i.title, r.reference`,
  );
  return {
    organisationId: org.id,
    organisationName: org.name,
    recs: recs.map((r) => ({
      id: r.id,
      inspectionId: r.inspection_id,
      inspectionTitle: r.title,
      reference: r.reference,
      text: r.text,
      actionPlanDueAt: r.action_plan_due_at,
    })),
    users,
  };
}

/** One `overdue` row per liaison, each its own batch (kind, recipient, window), all with send_at = `sendAt`. */
async function writeLedger(ds: DataSource, f: Fixtures, users: Fixtures['users'], sendAt: Date): Promise<{ batchKey: string; sendAt: Date }[]> {
  const kind = NotificationKind.Overdue;
  const rows = users.map((u, i) => {
    const rec = f.recs[i % f.recs.length];
    return {
      dedupKey: dedupKeyFor(rec.id, DeadlineType.ActionPlan, rec.actionPlanDueAt, kind, IMMEDIATE_OFFSET, u.id),
      recId: rec.id,
      inspectionId: rec.inspectionId,
      deadlineAt: rec.actionPlanDueAt.toISOString(),
      userId: u.id,
      email: u.email,
      batchKey: batchKeyFor(kind, u.id, sendAt, DIGEST_WINDOW_MS),
    };
  });
  for (let start = 0; start < rows.length; start += 5_000) {
    const chunk = rows.slice(start, start + 5_000);
    await ds.query(
      `INSERT INTO notifications (dedup_key, recommendation_id, inspection_id, organisation_id, deadline_type, deadline_at, kind,
                                  offset_key, recipient_id, recipient_email, send_at, batch_key, status)
       SELECT r.dedup_key, r.rec_id, r.inspection_id, $8, $9, r.deadline_at, $10, $11, r.user_id, r.email, $12, r.batch_key, 'scheduled'
         FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::uuid[], $6::text[], $7::text[])
           AS r(dedup_key, rec_id, inspection_id, deadline_at, user_id, email, batch_key)`,
      [
        chunk.map((r) => r.dedupKey),
        chunk.map((r) => r.recId),
        chunk.map((r) => r.inspectionId),
        chunk.map((r) => r.deadlineAt),
        chunk.map((r) => r.userId),
        chunk.map((r) => r.email),
        chunk.map((r) => r.batchKey),
        f.organisationId,
        DeadlineType.ActionPlan,
        kind,
        IMMEDIATE_OFFSET,
        sendAt,
      ],
    );
  }
  await ds.query(`ANALYZE notifications`);
  return rows.map((r) => ({ batchKey: r.batchKey, sendAt: batchSendTime(r.batchKey, DIGEST_WINDOW_MS) }));
}

