// HTTP load on the read path at a million recommendations: the production API process against a bare
// NestJS + raw pg baseline running the same SQL, both driven by autocannon from a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { freePort } from '../scripts/local-services.js';
import { benchDatabase, median, REDIS_URL, seedRecommendations } from './support.js';
import { cpuBusySince, machineCpu, processCpuMs } from './cpu.js';

const ROWS = Number(process.env.BENCH_LOAD_ROWS ?? 1_000_000);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_LOAD_WARMUP_SECONDS ?? 3);
/** Each endpoint is measured ROUNDS times, tracker and baselines alternating; the medians are reported. */
const ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 3);
/** The deep page: GET /recommendations?overdue=true with the cursor that ends page DEEP_PAGE - 1. */
const DEEP_PAGE = Number(process.env.BENCH_LOAD_DEEP_PAGE ?? 1000);
const DB_POOL = Number(process.env.BENCH_LOAD_DB_POOL ?? 10);
/**
 * Another build's `dist/apps/api/main.js` (e.g. an earlier commit's, built in a scratch folder) measured
 * beside this one in the same run: before/after figures from one machine state.
 */
const COMPARE_ENTRY = process.env.BENCH_LOAD_COMPARE_ENTRY;
/** Which endpoints to measure: any of first, deep, detail (default all three). */
const ENDPOINTS = (process.env.BENCH_LOAD_ENDPOINTS ?? 'first,deep,detail').split(',');

const API_ENTRY = fileURLToPath(new URL('../apps/api/main.js', import.meta.url));
/**
 * The same API under the CPU profiler (BENCH_LOAD_CPU_PROF=folder): profiles the tracker's first round of each
 * endpoint.
 */
const PROFILED_API_ENTRY = fileURLToPath(new URL('./profiled-api.js', import.meta.url));
const CPU_PROFILE_DIR = process.env.BENCH_LOAD_CPU_PROF;
const BASELINE_ENTRY = fileURLToPath(new URL('./baseline/main.js', import.meta.url));
const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

export interface Measured {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Share of the machine's CPU busy during the run (every process, not only this benchmark's). */
  machineCpuBusy: number;
  /**
   * CPU milliseconds the serving process spent per answered request: what a request costs the server's
   * Node process, whatever else the machine is doing (PostgreSQL's share is not in it).
   */
  serverCpuMsPerRequest: number;
}

export interface LoadEndpointResult {
  name: string;
  /** Medians over the rounds. */
  tracker: number;
  /** Median CPU ms per request of each serving process (the baseline's two routes share one process). */
  cpuMsPerRequest: Record<string, number>;
  /** Baseline (same SQL) CPU per request / tracker's: the throughput ratio a CPU-bound server would reach. */
  cpuRatioSameSql: number;
  /** Tracker started with LOG_LEVEL=warn (no request log lines): the cost of request logging. */
  trackerWithoutRequestLogs: number;
  /** BENCH_LOAD_COMPARE_ENTRY's API, when given. */
  compared?: number;
  baselineSameSql: number;
  baselineRecommendationSqlOnly: number;
  ratioSameSql: number;
  ratioRecommendationSqlOnly: number;
  /**
   * Median of each round's own ratio (tracker and baseline measured a few seconds apart): less moved by a machine whose
   * load changes.
   */
  roundRatioSameSql: number;
  roundRatioRecommendationSqlOnly: number;
  sameJson: boolean;
  runs: Record<string, Measured[]>;
}

export interface LoadResult {
  rows: number;
  connections: number;
  seconds: number;
  rounds: number;
  deepPage: number;
  seedSeconds: number;
  endpoints: LoadEndpointResult[];
  loadAverageAtStart: number;
}

/** What autocannon's `--json` prints: the figures this benchmark keeps. */
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited ${child.exitCode}\n${output()}`);
    const ok = await fetch(url).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}: no answer within ${timeoutMs} ms\n${output()}`);
}

async function serve(entry: string, env: Record<string, string>, readyPath: string): Promise<Served> {
  const port = await freePort();
  // Request logs go to a pipe that is read and dropped: the process pays for writing them, as it would to a collector.
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: 'UTC', ...env, PORT: String(port) },
    // An IPC channel for the profiled API's start/stop messages.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}${readyPath}`, child, () => tail);
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** autocannon in a child process, so that the load generator does not share an event loop with anything measured. */
function autocannon(url: string, token: string | null, seconds: number, serverPid: number): Promise<Measured> {
  const args = [AUTOCANNON, '-c', String(CONNECTIONS), '-d', String(seconds), '-j'];
  if (token) args.push('-H', `authorization=Bearer ${token}`);
  args.push(url);
  const before = machineCpu();
  const serverBefore = processCpuMs(serverPid);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err}`));
      const serverCpuMs = processCpuMs(serverPid) - serverBefore;
      const r = JSON.parse(out) as AutocannonResult;
      resolve({
        serverCpuMsPerRequest: serverCpuMs / Math.max(1, r.requests.total),
        requestsPerSecond: r.requests.average,
        latencyP50Ms: r.latency.p50,
        latencyP99Ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        machineCpuBusy: cpuBusySince(before),
      });
    });
  });
}

/** GET `url` (200 expected); the body, parsed as the `T` the caller names. */
async function getJson<T>(url: string, token?: string): Promise<T> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** POST `body` as JSON (`expected` status); the answer's body, parsed as the `T` the caller names. */
async function postJson<T>(url: string, token: string | null, body: unknown, expected: number): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  if (response.status !== expected) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function benchLoad(): Promise<LoadResult> {
  const loadAverageAtStart = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  const db = await benchDatabase(2);
  const servers: Served[] = [];
  try {
    const seedStarted = Date.now();
    const { org } = await seedRecommendations(db.ds, ROWS);
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const adminEmail = 'admin@bench.test';
    const adminPassword = `bench-${randomBytes(8).toString('hex')}`;
    const apiEnv = {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      REDIS_URL,
      DB_POOL_SIZE: String(DB_POOL),
      JWT_SECRET: randomBytes(32).toString('hex'),
      AUDIT_KEY: randomBytes(32).toString('hex'), // production refuses to start without a key of its own
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
      QUEUE_PREFIX: `bench-load-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'info',
    };
    const api = await serve(
      CPU_PROFILE_DIR ? PROFILED_API_ENTRY : API_ENTRY,
      { ...apiEnv, ...(CPU_PROFILE_DIR ? { BENCH_LOAD_CPU_PROF: CPU_PROFILE_DIR } : {}) },
      '/health',
    );
    servers.push(api);
    const quietApi = await serve(API_ENTRY, { ...apiEnv, LOG_LEVEL: 'warn' }, '/health');
    servers.push(quietApi);
    const comparedApi = COMPARE_ENTRY ? await serve(COMPARE_ENTRY, apiEnv, '/health') : undefined;
    if (comparedApi) servers.push(comparedApi);

    const login = await postJson<{ accessToken: string; user: { id: string } }>(
      `${api.url}/auth/login`,
      null,
      { email: adminEmail, password: adminPassword },
      200,
    );
    const token = login.accessToken;
    const adminId = login.user.id;

    // One recommendation with a history and evidence, made through the API as a liaison would.
    const liaisonPassword = `liaison-${randomBytes(8).toString('hex')}`;
    await postJson(
      `${api.url}/users`,
      token,
      {
        email: 'liaison@bench.test',
        name: 'Liaison',
        password: liaisonPassword,
        role: 'liaison',
        organisationIds: [org],
      },
      201,
    );
    const liaison = (
      await postJson<{ accessToken: string }>(
        `${api.url}/auth/login`,
        null,
        { email: 'liaison@bench.test', password: liaisonPassword },
        200,
      )
    ).accessToken;
    const [{ id: detailId }]: { id: string }[] = await db.ds.query(
      `SELECT id FROM recommendations WHERE organisation_id = $1 AND status = 'planned' LIMIT 1`,
      [org],
    );
    let rec = await getJson<{ version: number }>(`${api.url}/recommendations/${detailId}`, token);
    for (const step of [
      { action: 'update_progress', rag: 'amber', comment: 'Training delayed by the new system' },
      { action: 'update_progress', rag: 'green', comment: 'Back on track' },
      {
        action: 'propose_closure',
        comment: 'Done',
        evidence: [{ title: 'Audit report', url: 'https://example.org/audit.pdf', note: 'Compliance at 94%' }],
      },
    ]) {
      rec = await postJson<{ version: number }>(
        `${api.url}/recommendations/${detailId}/transitions`,
        liaison,
        { ...step, version: rec.version },
        200,
      );
    }

    // Walk the overdue list once to find the cursor that opens page DEEP_PAGE.
    let cursor: string | null = null;
    for (let page = 1; page < DEEP_PAGE; page += 1) {
      const body: { nextCursor: string | null } = await getJson(
        `${api.url}/recommendations?overdue=true${cursor ? `&cursor=${cursor}` : ''}`,
        token,
      );
      if (!body.nextCursor) throw new Error(`the overdue list ends at page ${page}: seed more rows`);
      cursor = body.nextCursor;
    }

    const baseline = await serve(
      BASELINE_ENTRY,
      { DATABASE_URL: db.url, DB_POOL_SIZE: String(DB_POOL), BASELINE_ACTOR_ID: adminId },
      '/raw/recommendations',
    );
    servers.push(baseline);

    const endpoints = [
      {
        key: 'first',
        name: 'GET /recommendations?overdue=true (first page)',
        path: '/recommendations?overdue=true',
        raw: '/recommendations',
      },
      {
        key: 'deep',
        name: `GET /recommendations?overdue=true (page ${DEEP_PAGE})`,
        path: `/recommendations?overdue=true&cursor=${cursor}`,
        raw: `/recommendations?cursor=${cursor}`,
      },
      {
        key: 'detail',
        name: 'GET /recommendations/:id',
        path: `/recommendations/${detailId}`,
        raw: `/recommendations/${detailId}`,
      },
    ].filter((e) => ENDPOINTS.includes(e.key));
    const results: LoadEndpointResult[] = [];
    for (const endpoint of endpoints) {
      const targets: Record<string, { url: string; token: string | null; pid: number }> = {
        tracker: { url: `${api.url}${endpoint.path}`, token, pid: api.child.pid! },
        ...(comparedApi
          ? { compared: { url: `${comparedApi.url}${endpoint.path}`, token, pid: comparedApi.child.pid! } }
          : {}),
        trackerWithoutRequestLogs: { url: `${quietApi.url}${endpoint.path}`, token, pid: quietApi.child.pid! },
        baselineSameSql: { url: `${baseline.url}/raw-actor${endpoint.raw}`, token: null, pid: baseline.child.pid! },
        baselineRecommendationSqlOnly: {
          url: `${baseline.url}/raw${endpoint.raw}`,
          token: null,
          pid: baseline.child.pid!,
        },
      };
      const [fromTracker, fromBaseline] = await Promise.all([
        getJson<unknown>(targets.tracker.url, token),
        getJson<unknown>(targets.baselineSameSql.url),
      ]);
      // Same rows, same fields; only the clock-derived fields could differ if a day boundary fell between the two
      // calls.
      const sameJson = isDeepStrictEqual(fromTracker, fromBaseline);
      const runs: Record<string, Measured[]> = {};
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const [label, target] of Object.entries(targets)) {
          await autocannon(target.url, target.token, WARMUP_SECONDS, target.pid);
          const profiled = CPU_PROFILE_DIR !== undefined && label === 'tracker' && round === 0;
          if (profiled) api.child.send('profile');
          const measured = await autocannon(target.url, target.token, SECONDS, target.pid);
          if (profiled) {
            const written = once(api.child, 'message');
            api.child.send('profile');
            await written;
          }
          if (measured.non2xx || measured.errors || measured.timeouts) {
            throw new Error(
              `${endpoint.name} (${label}): ${measured.non2xx} non-2xx, ${measured.errors} errors, ${measured.timeouts} timeouts`,
            );
          }
          (runs[label] ??= []).push(measured);
          console.log(
            `  ${endpoint.name} ${label} round ${round + 1}: ${measured.requestsPerSecond.toFixed(0)} req/s, ${measured.serverCpuMsPerRequest.toFixed(2)} CPU ms/request ` +
              `(p99 ${measured.latencyP99Ms} ms, machine ${(measured.machineCpuBusy * 100).toFixed(0)} % busy)`,
          );
        }
      }
      const med = (label: string) => median(runs[label].map((m) => m.requestsPerSecond));
      const roundRatio = (label: string) =>
        median(runs.tracker.map((m, i) => m.requestsPerSecond / runs[label][i].requestsPerSecond));
      const cpuMsPerRequest = Object.fromEntries(
        Object.keys(targets).map((label) => [label, median(runs[label].map((m) => m.serverCpuMsPerRequest))]),
      );
      results.push({
        name: endpoint.name,
        tracker: med('tracker'),
        cpuMsPerRequest,
        cpuRatioSameSql: cpuMsPerRequest.baselineSameSql / cpuMsPerRequest.tracker,
        trackerWithoutRequestLogs: med('trackerWithoutRequestLogs'),
        ...(comparedApi ? { compared: med('compared') } : {}),
        baselineSameSql: med('baselineSameSql'),
        baselineRecommendationSqlOnly: med('baselineRecommendationSqlOnly'),
        ratioSameSql: med('tracker') / med('baselineSameSql'),
        ratioRecommendationSqlOnly: med('tracker') / med('baselineRecommendationSqlOnly'),
        roundRatioSameSql: roundRatio('baselineSameSql'),
        roundRatioRecommendationSqlOnly: roundRatio('baselineRecommendationSqlOnly'),
        sameJson,
        runs,
      });
    }
    return {
      rows: ROWS,
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      deepPage: DEEP_PAGE,
      seedSeconds,
      endpoints: results,
      loadAverageAtStart,
    };
  } finally {
    for (const s of servers.reverse()) await s.stop();
    await db.drop();
  }
}
