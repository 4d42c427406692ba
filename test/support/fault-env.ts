// The production API and worker processes on a database and Redis that a fault test may take away:
// private PostgreSQL and Redis instances on ports of their own when the test restarts them (the shared
// 5432 and 6379 serve everyone else and are never touched), plus a loopback SMTP catcher.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import pg from 'pg';
import {
  privatePostgres,
  privateRedis,
  repoRoot,
  type PrivatePostgres,
  type PrivateRedis,
} from '../../scripts/local-services.js';
import { TEST_PASSWORD, TEST_REDIS_URL } from './api-harness.js';
import { TEST_DATABASE_URL } from './database.js';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher.js';
import { freePort, startApiProcess } from './api-process.js';
import { waitUntil } from './wait.js';
import { spawnWorker, type WorkerProcess } from './worker-process.js';

export const MAIL_FROM = 'followup@faults.test';

export interface HttpAnswer {
  /** 0 when the request got no answer within its timeout (it hung) or the connection failed. */
  status: number;
  /**
   * The parsed JSON (or the text) of the answer, null when none came. Unlike the end-to-end harness's client, this one
   * does not check answers against docs/openapi.json: it must time out and tolerate a failing server; the tests read
   * a recommendation's `version` and `status`, or an error's `code`, only after checking `status`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any shape, read after checking the status
  body: any;
  ms: number;
  error?: string;
}

export interface FaultEnvOptions {
  /** Run PostgreSQL privately (the test restarts it). */
  privatePostgres?: boolean;
  /** Run Redis privately (the test restarts it empty). */
  privateRedis?: boolean;
  /** Settings for both processes (durations, windows, attempts). */
  env?: Record<string, string>;
}

export interface FaultEnv {
  postgres?: PrivatePostgres;
  redis?: PrivateRedis;
  dbUrl: string;
  redisUrl: string;
  /** A pool on the test's database, for seeding and for the checks afterwards. */
  sql: pg.Pool;
  smtp: SmtpCatcher;
  api: WorkerProcess;
  apiUrl: string;
  adminToken: string;
  /** The settings the worker is started with (the API's, plus the SMTP server). */
  workerEnv: Record<string, string>;
  http(token: string | null, method: string, urlPath: string, body?: unknown, timeoutMs?: number): Promise<HttpAnswer>;
  login(email: string, password: string): Promise<string>;
  /** Creates a user through the API (password TEST_PASSWORD) and returns their id and token. */
  user(
    role: 'admin' | 'manager' | 'inspector' | 'liaison',
    organisationIds?: string[],
  ): Promise<{ id: string; email: string; token: string }>;
  organisation(): Promise<string>;
  /** Creates an inspection (as admin) with recommendations `1`..`count`; returns their ids and versions in order. */
  inspection(input: {
    organisationId: string;
    leadInspectorId: string;
    count: number;
    publishedAt?: string;
    dueAt?: string;
  }): Promise<{ id: string; version: number }[]>;
  /** Spawns a worker process with the API's settings (plus `extra`); resolves once it says it has started. */
  startWorker(name: string, extra?: Record<string, string>): Promise<WorkerProcess>;
  close(): Promise<void>;
}

async function http(
  baseUrl: string,
  token: string | null,
  method: string,
  urlPath: string,
  body?: unknown,
  timeoutMs = 15_000,
): Promise<HttpAnswer> {
  const started = Date.now();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(`${baseUrl}${urlPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const parsed = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
    return { status: response.status, body: parsed, ms: Date.now() - started };
  } catch (err) {
    return { status: 0, body: null, ms: Date.now() - started, error: (err as Error).message };
  }
}

async function createDatabase(serverUrl: string): Promise<string> {
  const name = `followup_faults_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return `${serverUrl}/${name}`;
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

export async function startFaultEnv(name: string, opts: FaultEnvOptions = {}): Promise<FaultEnv> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
  };
  try {
    const log = () => {};
    let postgres: PrivatePostgres | undefined;
    let serverUrl = TEST_DATABASE_URL.replace(/\/[^/]*$/, '');
    if (opts.privatePostgres) {
      postgres = await privatePostgres({ name: `faults-${name}`, port: await freePort(), log });
      await postgres.start();
      cleanups.push(() => postgres!.stop('immediate'));
      serverUrl = postgres.serverUrl;
    }
    let redis: PrivateRedis | undefined;
    if (opts.privateRedis) {
      redis = privateRedis({
        port: await freePort(),
        dir: path.join(repoRoot(), '.local', `faults-${name}-redis`),
        log,
      });
      await redis.start();
      cleanups.push(() => redis!.stop());
    }
    const redisUrl = redis?.url ?? TEST_REDIS_URL;
    const dbUrl = await createDatabase(serverUrl);
    cleanups.push(() => dropDatabase(dbUrl));
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.close());

    const adminEmail = `admin-${randomBytes(3).toString('hex')}@faults.test`;
    const adminPassword = `admin-${randomBytes(8).toString('hex')}`;
    const apiEnv: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: dbUrl,
      REDIS_URL: redisUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      AUDIT_KEY: randomBytes(32).toString('hex'), // production refuses to start without a key of its own
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
      QUEUE_PREFIX: `faults-${name}-${randomBytes(3).toString('hex')}`,
      MAIL_FROM,
      APP_BASE_URL: 'https://tracker.faults.test',
      SEND_WINDOW: 'always',
      DIGEST_WINDOW: 'PT1S',
      SMTP_URL: smtp.url,
      ...opts.env,
    };
    const { process: api, baseUrl: apiUrl } = await startApiProcess(`api-${name}`, apiEnv, 90_000);
    cleanups.push(async () => {
      if (api.running()) api.child.kill('SIGKILL');
      await api.exited;
    });
    const sql = new pg.Pool({ connectionString: dbUrl, max: 4 });
    sql.on('error', () => {}); // idle clients lose their server when a test restarts it
    cleanups.push(() => sql.end());

    const login = async (email: string, password: string) => {
      const answer = await http(apiUrl, null, 'POST', '/auth/login', { email, password });
      if (answer.status !== 200) throw new Error(`login ${email}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.accessToken as string;
    };
    const adminToken = await login(adminEmail, adminPassword);
    const workers: WorkerProcess[] = [];
    cleanups.push(async () => {
      for (const w of workers) if (w.running()) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
    });

    return {
      postgres,
      redis,
      dbUrl,
      redisUrl,
      sql,
      smtp,
      api,
      apiUrl,
      adminToken,
      workerEnv: apiEnv,
      http: (token, method, urlPath, body, timeoutMs) => http(apiUrl, token, method, urlPath, body, timeoutMs),
      login,
      async user(role, organisationIds = []) {
        const email = `${role}-${randomBytes(4).toString('hex')}@faults.test`;
        const created = await http(apiUrl, adminToken, 'POST', '/users', {
          email,
          name: `Test ${role}`,
          password: TEST_PASSWORD,
          role,
          organisationIds,
          ...(role === 'manager' && organisationIds.length === 0 ? { allOrganisations: true } : {}),
        });
        if (created.status !== 201) throw new Error(`POST /users: ${created.status} ${JSON.stringify(created.body)}`);
        return { id: created.body.id as string, email, token: await login(email, TEST_PASSWORD) };
      },
      async organisation() {
        const code = `F${randomBytes(4).toString('hex')}`.toUpperCase();
        const created = await http(apiUrl, adminToken, 'POST', '/organisations', { name: `Force ${code}`, code });
        if (created.status !== 201)
          throw new Error(`POST /organisations: ${created.status} ${JSON.stringify(created.body)}`);
        return created.body.id as string;
      },
      async inspection({ organisationId, leadInspectorId, count, publishedAt, dueAt }) {
        const created = await http(apiUrl, adminToken, 'POST', '/inspections', {
          organisationId,
          leadInspectorId,
          title: `Inspection ${randomBytes(3).toString('hex')}`,
          programme: 'PEEL',
          publishedAt: publishedAt ?? new Date().toISOString(),
          recommendations: Array.from({ length: count }, (_, i) => ({
            reference: String(i + 1),
            text: `Recommendation ${i + 1}`,
            ...(dueAt ? { dueAt } : {}),
          })),
        });
        if (created.status !== 201)
          throw new Error(`POST /inspections: ${created.status} ${JSON.stringify(created.body)}`);
        return (created.body.recommendations as { id: string; version: number }[]).map((r) => ({
          id: r.id,
          version: r.version,
        }));
      },
      async startWorker(workerName, extra = {}) {
        const worker = spawnWorker(`${name}-${workerName}`, { ...apiEnv, PORT: '3000', LOG_LEVEL: 'info', ...extra });
        workers.push(worker);
        await worker.waitForLine(/worker started/, 60_000);
        return worker;
      },
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * The fault environment of one test file: started before its tests (private services and the API take a
 * while, hence the long hook timeout) and closed after them. Read `.env` inside the tests.
 */
export function faultEnvFor(name: string, opts: FaultEnvOptions = {}): { readonly env: FaultEnv } {
  const holder = {} as { env: FaultEnv };
  beforeAll(async () => {
    holder.env = await startFaultEnv(name, opts);
  }, 180_000);
  afterAll(async () => {
    await holder.env?.close();
  });
  return holder;
}

/**
 * Waits until no notice due before `cutoff` (default: the database's now) is still scheduled and none is
 * being sent; `guardMs` only guards against a hang.
 */
export async function waitForDueNoticesSent(
  sql: pg.Pool,
  what: string,
  cutoff: Date | null = null,
  guardMs = 120_000,
): Promise<void> {
  await waitUntil(
    what,
    async () => {
      const {
        rows: [open],
      } = await sql.query<{ due: number; sending: number }>(
        `SELECT count(*) FILTER (WHERE status = 'scheduled' AND send_at < coalesce($1::timestamptz, now()))::int AS due,
                count(*) FILTER (WHERE status = 'sending')::int AS sending
           FROM notifications`,
        [cutoff],
      );
      return open.due === 0 && open.sending === 0;
    },
    guardMs,
    500,
  );
}

/** Inserts `count` liaison users of `organisationId` directly (they receive email; they never sign in). */
export async function insertLiaisons(sql: pg.Pool, organisationId: string, count: number): Promise<void> {
  await sql.query(
    `WITH u AS (
       INSERT INTO users (email, name, password_hash, role)
       SELECT 'liaison-' || g || '-' || $2 || '@faults.test', 'Liaison ' || g, 'not-a-hash', 'liaison' FROM generate_series(1, $1) g
       RETURNING id)
     INSERT INTO user_organisations (user_id, organisation_id) SELECT id, $3 FROM u`,
    [count, randomBytes(3).toString('hex'), organisationId],
  );
}

/** What the ledger holds, by status. */
export async function ledgerStatuses(sql: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM notifications GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/**
 * The ledger and the SMTP server agree: every row marked sent arrived under its Message-ID, and no
 * Message-ID arrived twice. Returns the counts for the report.
 */
export async function sentExactlyOnce(
  sql: pg.Pool,
  smtp: SmtpCatcher,
): Promise<{ sentRows: number; emails: number; doubled: string[]; missing: string[] }> {
  const { rows } = await sql.query<{ message_id: string; n: number }>(
    `SELECT message_id, count(*)::int AS n FROM notifications WHERE status = 'sent' GROUP BY message_id`,
  );
  const arrived = new Map<string, number>();
  for (const m of smtp.messages) arrived.set(m.messageId ?? '', (arrived.get(m.messageId ?? '') ?? 0) + 1);
  return {
    sentRows: rows.reduce((a, r) => a + r.n, 0),
    emails: smtp.messages.length,
    doubled: [...arrived].filter(([, n]) => n > 1).map(([id]) => id),
    missing: rows.filter((r) => !arrived.has(r.message_id)).map((r) => r.message_id),
  };
}
