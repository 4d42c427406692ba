// Transitions per second at 1, 8 and 32 concurrent clients on distinct recommendations, over HTTP against `node
// dist/apps/api/main.js` (with a worker beside it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { deleteQueueKeys } from '#scheduling';
import { cpuBusySince, cpuByProcess, machineCpu, OTHER_POSTGRES, OTHER_PROCESSES, processTicks } from './cpu.js';
import { freePort } from '../scripts/local-services.js';
import { benchDatabase, inParallel, median, REDIS_URL, seconds } from './support.js';

/** Concurrent clients per level; each client moves its own recommendation, so none waits for another's row. */
const LEVELS = (process.env.BENCH_TRANSITIONS_LEVELS ?? '1,8,32').split(',').map(Number);
const MEASURE_S = Number(process.env.BENCH_TRANSITIONS_SECONDS ?? 10);
const WARMUP_S = Number(process.env.BENCH_TRANSITIONS_WARMUP_SECONDS ?? 2);
/** Whole sweeps (1, 8, 32) in one run; the summary takes the median of each level. */
const SWEEPS = Number(process.env.BENCH_TRANSITIONS_SWEEPS ?? 3);
const RAGS = ['green', 'amber', 'red'] as const;
/**
 * A recommendation's detail (the answer to each transition) carries its whole history, which grows with
 * every transition: a client moves on to a fresh recommendation after this many, so that one client (few
 * recommendations, many transitions each) does not pay for longer answers than 32 clients do.
 */
const PER_RECOMMENDATION = Number(process.env.BENCH_TRANSITIONS_PER_RECOMMENDATION ?? 20);
/** Planned recommendations made before measuring; when they run out, clients keep their last one. */
const POOL = Number(process.env.BENCH_TRANSITIONS_POOL ?? 2400);
const PER_INSPECTION = 100;

export interface TransitionsLevel {
  clients: number;
  perSecond: number[];
  medianPerSecond: number;
  /**
   * Of the database sessions found active in samples every 50 ms while measuring, the share waiting for a
   * lock (pg_stat_activity.wait_event_type = 'Lock'): how much the writers wait for each other, whatever
   * the rest of the machine is doing.
   */
  lockWaitShare: number;
  /** Share of the whole machine's CPU that was busy while measuring (every process, every core). */
  machineCpuBusy: number;
  /** CPU milliseconds per transition by kind of process (API, worker, PostgreSQL backends, this benchmark, …). */
  cpuMsPerTransition: Record<string, number>;
}

export interface TransitionsResult {
  build: string;
  measureSeconds: number;
  sweeps: number;
  levels: TransitionsLevel[];
  /** Median transitions/s at the highest level over the median at one client. */
  ratio: number;
  /**
   * The most the highest level could reach over one client if the machine's every core did nothing but
   * transitions: (cores × 1000 / CPU ms per transition at one client) / one client's rate. A ratio near
   * this ceiling is bound by CPU, not by waiting.
   */
  cpuCeilingRatio: number;
  /** Answers other than 200 (each would be a bug: clients never share a recommendation). */
  errors: Record<string, number>;
  /** Transitions made after the pool of fresh recommendations ran out (longer histories than intended). */
  afterPoolRanOut: number;
}

interface Target {
  recommendationId: string;
  version: number;
  moves: number;
}

/** Hands each client fresh planned recommendations, one at a time. */
class Pool {
  ranOutFor = 0;
  constructor(private readonly fresh: Target[]) {}

  next(current?: Target): Target {
    if (current && current.moves < PER_RECOMMENDATION) return current;
    const target = this.fresh.pop();
    if (target) return target;
    if (!current) throw new Error(`the pool of ${POOL} recommendations is empty: raise BENCH_TRANSITIONS_POOL`);
    this.ranOutFor += 1;
    return current;
  }
}

function startProcess(script: string, env: Record<string, string>, output: string[]): ChildProcess {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

async function waitForHealth(baseUrl: string, api: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (api.exitCode !== null) throw new Error(`the API exited (${api.exitCode}):\n${output.join('')}`);
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the API did not answer /health within 60 s:\n${output.join('')}`);
}

/** What POST /auth/login answers, what a POST created, and a recommendation: the fields this benchmark reads. */
interface Session {
  accessToken: string;
}
interface Created {
  id: string;
}
interface Versioned {
  id: string;
  version: number;
}

/** One JSON request; the answer's body (null when empty) parsed as the `T` the caller names. */
async function call<T>(
  baseUrl: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

async function expectOk<T>(what: string, p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** One organisation, a liaison officer, and POOL planned recommendations in inspections of PER_INSPECTION. */
async function seed(
  baseUrl: string,
  admin: { email: string; password: string },
): Promise<{ token: string; pool: Pool }> {
  const adminToken = (await expectOk('admin login', call<Session>(baseUrl, null, 'POST', '/auth/login', admin)))
    .accessToken;
  const org = await expectOk(
    'organisation',
    call<Created>(baseUrl, adminToken, 'POST', '/organisations', { name: 'Bench Force', code: 'BENCH' }),
    201,
  );
  const password = 'bench-password-0123456789';
  const lead = await expectOk(
    'lead',
    call<Created>(baseUrl, adminToken, 'POST', '/users', {
      email: 'lead@bench.test',
      name: 'Lead',
      password,
      role: 'inspector',
      organisationIds: [],
    }),
    201,
  );
  await expectOk(
    'liaison',
    call(baseUrl, adminToken, 'POST', '/users', {
      email: 'liaison@bench.test',
      name: 'Liaison',
      password,
      role: 'liaison',
      organisationIds: [org.id],
    }),
    201,
  );
  const token = (
    await expectOk(
      'liaison login',
      call<Session>(baseUrl, null, 'POST', '/auth/login', { email: 'liaison@bench.test', password }),
    )
  ).accessToken;
  const issued: Versioned[] = [];
  for (let start = 0; start < POOL; start += PER_INSPECTION) {
    // Published a month ahead: every deadline and reminder lies in the future, so the worker sends nothing.
    const inspection = await expectOk(
      'inspection',
      call<{ recommendations: Versioned[] }>(baseUrl, adminToken, 'POST', '/inspections', {
        organisationId: org.id,
        leadInspectorId: lead.id,
        title: `Bench inspection ${start / PER_INSPECTION + 1}`,
        programme: 'PEEL',
        publishedAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        recommendations: Array.from({ length: Math.min(PER_INSPECTION, POOL - start) }, (_, i) => ({
          reference: `B${start + i + 1}`,
          text: `Recommendation ${start + i + 1}`,
        })),
      }),
      201,
    );
    issued.push(...inspection.recommendations);
  }
  const fresh: Target[] = [];
  await inParallel(issued, 8, async (rec) => {
    const planned = await expectOk(
      'submit_plan',
      call<Versioned>(baseUrl, token, 'POST', `/recommendations/${rec.id}/transitions`, {
        action: 'submit_plan',
        version: rec.version,
        response: 'agreed',
        owner: 'Owner',
        actions: 'Actions',
        targetDate: '2030-06-30',
      }),
    );
    fresh.push({ recommendationId: rec.id, version: planned.version, moves: 0 });
  });
  return { token, pool: new Pool(fresh) };
}

/**
 * `clients` clients post `update_progress` back to back, each on its own recommendation, until `stopAt`; returns the
 * 200s.
 */
async function drive(
  baseUrl: string,
  token: string,
  pool: Pool,
  clients: number,
  stopAt: number,
  errors: Record<string, number>,
): Promise<number> {
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      let target = pool.next();
      let n = i;
      while (Date.now() < stopAt) {
        const r = await call<Versioned>(
          baseUrl,
          token,
          'POST',
          `/recommendations/${target.recommendationId}/transitions`,
          {
            action: 'update_progress',
            version: target.version,
            rag: RAGS[n++ % RAGS.length],
          },
        );
        if (r.status === 200) {
          target.version = r.body.version;
          target.moves += 1;
          done += 1;
          target = pool.next(target);
        } else {
          errors[r.status] = (errors[r.status] ?? 0) + 1;
          if (r.status === 409)
            target.version = (
              await call<Versioned>(baseUrl, token, 'GET', `/recommendations/${target.recommendationId}`)
            ).body.version;
        }
      }
    }),
  );
  return done;
}

/** One build under test: its own database, API and worker processes, and recommendations. */
interface Deployment {
  name: string;
  baseUrl: string;
  token: string;
  pool: Pool;
  errors: Record<string, number>;
  perLevel: Map<number, number[]>;
  /** Per level: sessions seen active, and of them waiting for a lock, summed over the samples. */
  locks: Map<number, { active: number; waiting: number }>;
  /** Per level: CPU ticks by kind of process, transitions measured, and machine busy shares. */
  cpu: Map<number, { byKind: Record<string, number>[]; busy: number[] }>;
  /** This deployment's processes by name, for the CPU split. */
  processes: Map<number, string>;
  /** The PostgreSQL backends serving this deployment's database now. */
  backendPids(): Promise<Set<number>>;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Samples this database's sessions every 50 ms until stopped; adds what it saw to `into`. */
function sampleLockWaits(databaseUrl: string, into: { active: number; waiting: number }): () => Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  let running = true;
  const loop = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query<{ active: number; waiting: number }>(
        `SELECT count(*) FILTER (WHERE state = 'active')::int AS active,
                count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')::int AS waiting
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      into.active += rows[0].active;
      into.waiting += rows[0].waiting;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await client.end();
  };
}

/**
 * Starts `node <dir>/dist/apps/{api,worker}/main.js` on a fresh database (each build migrates it itself) and seeds it.
 */
async function deploy(name: string, dir: string): Promise<Deployment> {
  const db = await benchDatabase(2, { migrate: false });
  const prefix = `bench-transitions-${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const admin = { email: 'admin@bench.test', password: `admin-${randomBytes(8).toString('hex')}` };
  const env = {
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_URL: db.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    SMTP_URL: 'smtp://127.0.0.1:1', // nothing falls due during the run
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    JWT_SECRET: randomBytes(32).toString('hex'),
    AUDIT_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  };
  const output: string[] = [];
  const api = startProcess(join(dir, 'dist/apps/api/main.js'), env, output);
  await waitForHealth(baseUrl, api, output); // the API migrates first; the worker then finds nothing pending
  const worker = startProcess(join(dir, 'dist/apps/worker/main.js'), env, output);
  const stop = async () => {
    for (const child of [api, worker]) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await deleteQueueKeys(redis, prefix).catch(() => 0);
    redis.disconnect();
    await db.drop();
  };
  try {
    const { token, pool } = await seed(baseUrl, admin);
    return {
      name,
      baseUrl,
      token,
      pool,
      errors: {},
      perLevel: new Map(LEVELS.map((level) => [level, []])),
      locks: new Map(LEVELS.map((level) => [level, { active: 0, waiting: 0 }])),
      cpu: new Map(LEVELS.map((level) => [level, { byKind: [], busy: [] }])),
      processes: new Map([
        [api.pid!, 'API process'],
        [worker.pid!, 'worker process'],
        [process.pid, 'this benchmark (HTTP clients)'],
      ]),
      backendPids: async () =>
        new Set(
          (
            await db.ds.query<
              {
                pid: number;
              }[]
            >('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')
          ).map((r) => r.pid),
        ),
      databaseUrl: db.url,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function summarise(d: Deployment): TransitionsResult {
  const levels = LEVELS.map((clients) => {
    const perSecond = d.perLevel.get(clients)!;
    const locks = d.locks.get(clients)!;
    const cpu = d.cpu.get(clients)!;
    const kinds = [...new Set(cpu.byKind.flatMap(Object.keys))];
    return {
      clients,
      perSecond,
      medianPerSecond: median(perSecond),
      lockWaitShare: locks.active === 0 ? 0 : locks.waiting / locks.active,
      machineCpuBusy: median(cpu.busy),
      cpuMsPerTransition: Object.fromEntries(kinds.map((k) => [k, median(cpu.byKind.map((sweep) => sweep[k] ?? 0))])),
    };
  });
  const oneClientCpuMs = Object.entries(levels[0].cpuMsPerTransition)
    .filter(([kind]) => kind !== OTHER_PROCESSES && kind !== OTHER_POSTGRES)
    .reduce((sum, [, ms]) => sum + ms, 0);
  return {
    build: d.name,
    measureSeconds: MEASURE_S,
    sweeps: SWEEPS,
    levels,
    ratio: levels[levels.length - 1].medianPerSecond / levels[0].medianPerSecond,
    cpuCeilingRatio: (cpus().length * 1000) / oneClientCpuMs / levels[0].medianPerSecond,
    errors: d.errors,
    afterPoolRanOut: d.pool.ranOutFor,
  };
}

/**
 * This build, and with BENCH_TRANSITIONS_COMPARE=<dir> also the build in <dir> (e.g. an older commit,
 * built there), measured in turns level by level, so that both meet the same load from the rest of the machine.
 */
export async function benchTransitions(): Promise<TransitionsResult[]> {
  const compare = process.env.BENCH_TRANSITIONS_COMPARE;
  const deployments: Deployment[] = [];
  try {
    deployments.push(await deploy('this build', '.'));
    if (compare) deployments.push(await deploy(`build in ${compare}`, compare));
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      for (const level of LEVELS) {
        for (const d of deployments) {
          await drive(d.baseUrl, d.token, d.pool, level, Date.now() + WARMUP_S * 1000, {});
          const stopSampling = sampleLockWaits(d.databaseUrl, d.locks.get(level)!);
          const [ticks, machine, backends] = [processTicks(), machineCpu(), await d.backendPids()];
          const started = process.hrtime.bigint();
          const done = await drive(d.baseUrl, d.token, d.pool, level, Date.now() + MEASURE_S * 1000, d.errors);
          d.perLevel.get(level)!.push(done / seconds(started));
          const cpu = d.cpu.get(level)!;
          cpu.busy.push(cpuBusySince(machine));
          cpu.byKind.push(cpuByProcess(ticks, processTicks(), done, d.processes, backends));
          await stopSampling();
        }
      }
    }
    return deployments.map(summarise);
  } finally {
    for (const d of deployments) await d.stop();
  }
}
