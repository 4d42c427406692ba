// Transitions per second at 1, 8 and 32 concurrent clients on distinct recommendations, over HTTP against `node dist/apps/api/main.js` (with a worker beside it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { deleteQueueKeys } from '#scheduling';
import { benchDatabase, median, REDIS_URL, seconds } from './support.js';

/** Concurrent clients per level; each client moves its own recommendation, so none waits for another's row. */
const LEVELS = (process.env.BENCH_TRANSITIONS_LEVELS ?? '1,8,32').split(',').map(Number);
const MEASURE_S = Number(process.env.BENCH_TRANSITIONS_SECONDS ?? 10);
const WARMUP_S = Number(process.env.BENCH_TRANSITIONS_WARMUP_SECONDS ?? 2);
/** Whole sweeps (1, 8, 32) in one run; the summary takes the median of each level. */
const SWEEPS = Number(process.env.BENCH_TRANSITIONS_SWEEPS ?? 3);
const RAGS = ['green', 'amber', 'red'] as const;

export interface TransitionsLevel {
  clients: number;
  perSecond: number[];
  medianPerSecond: number;
}

export interface TransitionsResult {
  measureSeconds: number;
  sweeps: number;
  levels: TransitionsLevel[];
  /** Median transitions/s at the highest level over the median at one client. */
  ratio: number;
  /** Answers other than 200 (each would be a bug: clients never share a recommendation). */
  errors: Record<string, number>;
}

interface Client {
  recommendationId: string;
  version: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

function startProcess(script: string, env: Record<string, string>, output: string[]): ChildProcess {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
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

async function call(baseUrl: string, token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function expectOk(what: string, p: Promise<{ status: number; body: any }>, status = 200): Promise<any> {
  const r = await p;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** One organisation, a liaison officer and a planned recommendation per client of the highest level. */
async function seed(baseUrl: string, admin: { email: string; password: string }, count: number): Promise<{ token: string; clients: Client[] }> {
  const adminToken = (await expectOk('admin login', call(baseUrl, null, 'POST', '/auth/login', admin))).accessToken as string;
  const org = await expectOk('organisation', call(baseUrl, adminToken, 'POST', '/organisations', { name: 'Bench Force', code: 'BENCH' }), 201);
  const password = 'bench-password-0123456789';
  const lead = await expectOk('lead', call(baseUrl, adminToken, 'POST', '/users', { email: 'lead@bench.test', name: 'Lead', password, role: 'inspector', organisationIds: [] }), 201);
  await expectOk('liaison', call(baseUrl, adminToken, 'POST', '/users', { email: 'liaison@bench.test', name: 'Liaison', password, role: 'liaison', organisationIds: [org.id] }), 201);
  const token = (await expectOk('liaison login', call(baseUrl, null, 'POST', '/auth/login', { email: 'liaison@bench.test', password }))).accessToken as string;
  // Published a month ahead: every deadline and reminder lies in the future, so the worker sends nothing.
  const inspection = await expectOk(
    'inspection',
    call(baseUrl, adminToken, 'POST', '/inspections', {
      organisationId: org.id,
      leadInspectorId: lead.id,
      title: 'Bench inspection',
      programme: 'PEEL',
      publishedAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      recommendations: Array.from({ length: count }, (_, i) => ({ reference: `B${i + 1}`, text: `Recommendation ${i + 1}` })),
    }),
    201,
  );
  const clients: Client[] = [];
  for (const rec of inspection.recommendations) {
    const planned = await expectOk(
      'submit_plan',
      call(baseUrl, token, 'POST', `/recommendations/${rec.id}/transitions`, { action: 'submit_plan', version: rec.version, response: 'agreed', owner: 'Owner', actions: 'Actions', targetDate: '2030-06-30' }),
    );
    clients.push({ recommendationId: rec.id, version: planned.version });
  }
  return { token, clients };
}

/** Each client posts `update_progress` on its own recommendation back to back until `stopAt`; returns the 200s. */
async function drive(baseUrl: string, token: string, clients: Client[], stopAt: number, errors: Record<string, number>): Promise<number> {
  let done = 0;
  await Promise.all(
    clients.map(async (client, i) => {
      let n = i;
      while (Date.now() < stopAt) {
        const r = await call(baseUrl, token, 'POST', `/recommendations/${client.recommendationId}/transitions`, {
          action: 'update_progress',
          version: client.version,
          rag: RAGS[n++ % RAGS.length],
        });
        if (r.status === 200) {
          client.version = r.body.version;
          done += 1;
        } else {
          errors[r.status] = (errors[r.status] ?? 0) + 1;
          if (r.status === 409) client.version = (await call(baseUrl, token, 'GET', `/recommendations/${client.recommendationId}`)).body.version;
        }
      }
    }),
  );
  return done;
}

export async function benchTransitions(): Promise<TransitionsResult> {
  const db = await benchDatabase(2);
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
  const api = startProcess('dist/apps/api/main.js', env, output);
  const worker = startProcess('dist/apps/worker/main.js', env, output);
  try {
    await waitForHealth(baseUrl, api, output);
    const top = Math.max(...LEVELS);
    const { token, clients } = await seed(baseUrl, admin, top);
    const errors: Record<string, number> = {};
    const perLevel = new Map<number, number[]>(LEVELS.map((level) => [level, []]));
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      for (const level of LEVELS) {
        const mine = clients.slice(0, level);
        await drive(baseUrl, token, mine, Date.now() + WARMUP_S * 1000, {});
        const started = process.hrtime.bigint();
        const done = await drive(baseUrl, token, mine, Date.now() + MEASURE_S * 1000, errors);
        perLevel.get(level)!.push(done / seconds(started));
      }
    }
    const levels = LEVELS.map((clientsAtLevel) => {
      const perSecond = perLevel.get(clientsAtLevel)!;
      return { clients: clientsAtLevel, perSecond, medianPerSecond: median(perSecond) };
    });
    return {
      measureSeconds: MEASURE_S,
      sweeps: SWEEPS,
      levels,
      ratio: levels[levels.length - 1].medianPerSecond / levels[0].medianPerSecond,
      errors,
    };
  } finally {
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
  }
}
