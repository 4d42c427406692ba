// The API in-process on a fresh database, reached over real HTTP (global fetch), for the end-to-end tests.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { ApiModule } from '../../apps/api/src/api.module.js';
import { configureApiApp, createApiApp } from '../../apps/api/src/bootstrap.js';
import { CLOCK, type Clock } from '../../libs/application/src/index.js';
import type { components } from './api-schema.js';
import { createTestDatabase } from './database.js';
import { expectDocumentedAnswer } from './openapi-answers.js';
import { dropQueueKeys, TEST_REDIS_URL } from './queues.js';

export { TEST_REDIS_URL };

/** Every user the harness creates gets this password (≥ 12 characters). */
export const TEST_PASSWORD = 'correct-horse-battery-staple';

export type Role = 'admin' | 'manager' | 'inspector' | 'liaison';

/** A schema of docs/openapi.json, as test/support/api-schema.d.ts (generated from it) types it. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
/** The answers the harness creates (POST /organisations, POST /inspections) and their recommendations. */
export type Organisation = Schema<'OrganisationResponse'>;
export type InspectionDetail = Schema<'InspectionDetailResponse'>;
export type Recommendation = Schema<'RecommendationResponse'>;

export interface ApiResponse {
  status: number;
  /**
   * The parsed JSON (or the text) of the answer, which `call` has checked against docs/openapi.json at run time;
   * tests read its fields as they need them (why that is no type hole: docs/lint.md).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked at run time against docs/openapi.json
  body: any;
  headers: Headers;
}

export interface ApiClient {
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  patch(path: string, body?: unknown): Promise<ApiResponse>;
  /** Any method, for route-table-driven tests. */
  request(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  /** Sends `body` as it is (a CSV file, a malformed JSON text) with this content type. */
  raw(method: string, path: string, body: string | Buffer, contentType: string): Promise<ApiResponse>;
}

/** A user the harness created: the 201 body of POST /users, with a token and a client. */
export interface TestUser extends UserAnswer {
  /** A bearer token for this user. */
  token: string;
  /** A client that sends this user's token. */
  api: ApiClient;
}
type UserAnswer = Schema<'UserResponse'>;

export interface NewRecommendationInput {
  reference: string;
  text?: string;
  timeframe?: string;
  dueAt?: string;
  priority?: boolean;
  area?: string;
}

export interface NewInspectionInput {
  organisationId: string;
  leadInspectorId: string;
  title?: string;
  programme?: string;
  publishedAt?: string;
  actionPlanDueAt?: string;
  revisitDueAt?: string;
  recommendations?: NewRecommendationInput[];
}

export interface RunningApi {
  baseUrl: string;
  dbUrl: string;
  queuePrefix: string;
  app: NestExpressApplication;
  admin: { token: string; id: string; email: string; password: string };
  /** POST /auth/login; the raw response (200 with accessToken, or the error). */
  login(email: string, password: string): Promise<ApiResponse>;
  /** A client sending `Authorization: Bearer <token>`; with no token, no header at all. */
  client(token?: string | null): ApiClient;
  /** The administrator's client. */
  adminApi: ApiClient;
  createOrganisation(input?: { name?: string; code?: string }): Promise<Organisation>;
  /** Creates a user (as admin) and logs them in. */
  createUser(role: Role, organisationIds?: string[], extra?: Record<string, unknown>): Promise<TestUser>;
  /** Creates an inspection with `token` (an admin's or an inspector's) and returns the 201 body. */
  createInspection(token: string, input: NewInspectionInput): Promise<InspectionDetail>;
  close(): Promise<void>;
}

let sequence = 0;
const unique = (): string => `${Date.now().toString(36)}${(sequence++).toString(36)}${randomBytes(3).toString('hex')}`;

/** One request; `body` is sent as JSON unless `contentType` is given, then as it is. */
async function call(
  baseUrl: string,
  token: string | null | undefined,
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  const sent =
    body === undefined || contentType !== undefined ? (body as string | Buffer | undefined) : JSON.stringify(body);
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: sent });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
  // Every answer the end-to-end tests receive through this client is as docs/openapi.json describes it.
  expectDocumentedAnswer(
    method,
    path,
    response.status,
    response.headers.get('content-type'),
    parsed,
    contentType === undefined ? body : undefined,
  );
  return { status: response.status, body: parsed, headers: response.headers };
}

/**
 * A client of the API at `baseUrl` (in-process or a child process) sending `token` as the bearer; with no token, no
 * header at all.
 */
export function apiClient(baseUrl: string, token?: string | null): ApiClient {
  return {
    get: (path) => call(baseUrl, token, 'GET', path),
    post: (path, body) => call(baseUrl, token, 'POST', path, body ?? {}),
    patch: (path, body) => call(baseUrl, token, 'PATCH', path, body ?? {}),
    request: (method, path, body) => call(baseUrl, token, method.toUpperCase(), path, body),
    raw: (method, path, body, contentType) => call(baseUrl, token, method.toUpperCase(), path, body, contentType),
  };
}

function expectStatus(what: string, response: ApiResponse, status: number): void {
  if (response.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
}

export interface StartApiOptions {
  /**
   * Connect as this login role (DATABASE_URL) and migrate as the server's user (DATABASE_MIGRATION_URL),
   * as production does; the role must exist. Default: the server's user for both.
   */
  databaseRole?: string;
  /** Replaces the system clock, so a test can build a history at chosen moments. */
  clock?: Clock;
  /**
   * Listen on this port (one the test chose, so that APP_BASE_URL can name it before the app starts); default: any free
   * one.
   */
  port?: number;
}

/**
 * Starts the API on 127.0.0.1 with a random port, on a new database (migrated at start-up) and a queue
 * prefix of its own. `env` overrides the test defaults; process.env is restored once the app is built.
 */
export async function startApi(env: Record<string, string> = {}, options: StartApiOptions = {}): Promise<RunningApi> {
  const db = await createTestDatabase();
  const roleUrl = new URL(db.url);
  if (options.databaseRole) roleUrl.username = encodeURIComponent(options.databaseRole);
  const queuePrefix = `e2e-${unique()}`;
  const adminEmail = `admin-${unique()}@e2e.test`;
  const adminPassword = `admin-password-${randomBytes(8).toString('hex')}`;
  const settings: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: roleUrl.toString(),
    ...(options.databaseRole ? { DATABASE_MIGRATION_URL: db.url } : {}),
    REDIS_URL: TEST_REDIS_URL,
    PORT: '3000', // validated, but unused: the harness listens on a random port
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: queuePrefix,
    // Tests that sign administrators and inspectors in through the pages are not about two-factor sign-in;
    // those that are (test/browser/two-factor.test.ts) set MFA_REQUIRED_ROLES themselves.
    MFA_REQUIRED_ROLES: 'none',
    DB_POOL_SIZE: '10',
    // Evidence files in a folder of the test's own, never the working folder's .local/.
    EVIDENCE_STORE: `file://${tmpdir()}/followup-evidence-${queuePrefix}`,
    ...env,
  };

  const saved = new Map(Object.keys(settings).map((key) => [key, process.env[key]]));
  let app: NestExpressApplication;
  try {
    Object.assign(process.env, settings);
    if (options.clock) {
      const moduleRef = await Test.createTestingModule({ imports: [ApiModule] })
        .overrideProvider(CLOCK)
        .useValue(options.clock)
        .compile();
      app = await configureApiApp(moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true }));
    } else {
      app = await createApiApp();
    }
  } catch (err) {
    await db.drop();
    throw err;
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    try {
      await app.close();
    } finally {
      await db.drop();
      await dropQueueKeys(queuePrefix);
    }
  };

  try {
    await app.listen(options.port ?? 0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    const login = (email: string, password: string) => call(baseUrl, null, 'POST', '/auth/login', { email, password });

    const adminLogin = await login(adminEmail, adminPassword);
    expectStatus('admin login', adminLogin, 200);
    const admin = {
      token: adminLogin.body.accessToken as string,
      id: adminLogin.body.user.id as string,
      email: adminEmail,
      password: adminPassword,
    };
    const adminApi = apiClient(baseUrl, admin.token);

    return {
      baseUrl,
      dbUrl: db.url,
      queuePrefix,
      app,
      admin,
      adminApi,
      login,
      client: (token) => apiClient(baseUrl, token),
      close,

      async createOrganisation(input = {}) {
        const code = input.code ?? `ORG-${unique()}`.toUpperCase();
        const response = await adminApi.post('/organisations', { name: input.name ?? `Force ${code}`, code });
        expectStatus('POST /organisations', response, 201);
        return response.body;
      },

      async createUser(role, organisationIds = [], extra = {}) {
        const email = `${role}-${unique()}@e2e.test`;
        // A manager with no forces named is made a manager of every force, explicitly (never implied by none).
        const everyForce = role === 'manager' && organisationIds.length === 0 ? { allOrganisations: true } : {};
        const response = await adminApi.post('/users', {
          email,
          name: `Test ${role}`,
          password: TEST_PASSWORD,
          role,
          organisationIds,
          ...everyForce,
          ...extra,
        });
        expectStatus(`POST /users (${role})`, response, 201);
        const session = await login(email, TEST_PASSWORD);
        expectStatus(`login as ${role}`, session, 200);
        const token = session.body.accessToken as string;
        return { ...response.body, token, api: apiClient(baseUrl, token) };
      },

      async createInspection(token, input) {
        const response = await call(baseUrl, token, 'POST', '/inspections', {
          title: `Inspection ${unique()}`,
          programme: 'PEEL',
          publishedAt: '2018-08-30T00:00:00Z',
          recommendations: [{ reference: '1', text: 'Recommendation 1' }],
          ...input,
          ...(input.recommendations
            ? { recommendations: input.recommendations.map((r) => ({ text: `Recommendation ${r.reference}`, ...r })) }
            : {}),
        });
        expectStatus('POST /inspections', response, 201);
        return response.body;
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface ForceWithInspection {
  organisation: Organisation;
  /** The inspection's lead inspector. */
  lead: TestUser;
  /** The force's liaison officer. */
  liaison: TestUser;
  /** The 201 body of POST /inspections. */
  inspection: InspectionDetail;
}

/** A new force with a liaison officer, and an inspection of it (led by a new inspector) with these recommendations. */
export async function createForceWithInspection(
  api: RunningApi,
  recommendations: NewRecommendationInput[],
): Promise<ForceWithInspection> {
  const organisation = await api.createOrganisation();
  const [lead, liaison] = await Promise.all([
    api.createUser('inspector'),
    api.createUser('liaison', [organisation.id]),
  ]);
  const inspection = await api.createInspection(lead.token, {
    organisationId: organisation.id,
    leadInspectorId: lead.id,
    recommendations,
  });
  return { organisation, lead, liaison, inspection };
}

/** The fields contract v1 promises on every recommendation. */
export const RECOMMENDATION_FIELDS = [
  'id',
  'inspectionId',
  'organisationId',
  'reference',
  'text',
  'priority',
  'status',
  'outcome',
  'dueAt',
  'actionPlanDueAt',
  'owner',
  'targetDate',
  'rag',
  'overdue',
  'overdueReason',
  'daysOverdue',
  'version',
  'updatedAt',
] as const;

/** The contract fields that `rec` lacks (an empty list when it has them all). */
export function missingRecommendationFields(rec: Record<string, unknown>): string[] {
  return RECOMMENDATION_FIELDS.filter((field) => !Object.prototype.hasOwnProperty.call(rec, field));
}

/**
 * The body of a liaison's `submit_plan` on `version`: an agreed plan with an owner, actions and a target
 * date far ahead. `overrides` changes any field a test cares about.
 */
export const agreedPlan = (version: number, overrides: Record<string, unknown> = {}) => ({
  action: 'submit_plan',
  version,
  response: 'agreed',
  owner: 'Owner',
  actions: 'Actions',
  targetDate: '2030-06-30',
  ...overrides,
});

/** A clock a test moves by hand: `set` it to the moment the next request happens at. */
export class ControlledClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
}

/** Adds `duration` days to now, as an ISO string (for deadlines that must lie ahead). */
export const daysFromNow = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();
