// The environment schema (zod): every setting, its default and its check, and the parsed AppConfig the code uses.
import { isIP } from 'node:net';
import { z } from 'zod';
import { SECOND_MS, parsePositiveDuration, parseSendWindow, type SendWindow } from '#domain';
import { booleanFlag, durationList, isoDuration, positiveInt, url } from './env-fields.js';
import { evidenceConfig, evidenceEnvShape, type EvidenceConfig } from './evidence.env.js';
import { identityEnvShape } from './identity.env.js';
import { oidcConfig, oidcEnvShape, oidcProblems, type OidcConfig } from './oidc.env.js';

/**
 * Batches a worker claims per sending round (one email each); the dispatcher uses this number, and
 * SEND_LEASE is checked against the round it makes.
 */
export const SENDING_ROUND_BATCHES = 50;

/**
 * The longest a sending round can take before every email in it has failed or gone: the round's emails
 * share SMTP_POOL_SIZE connections, and one email on a stalled server waits out the connection timeout,
 * the greeting timeout and the socket timeout (twice SMTP_TIMEOUT_MS): 4 × SMTP_TIMEOUT_MS.
 */
export function longestSendingRoundMs(env: { SMTP_POOL_SIZE: number; SMTP_TIMEOUT_MS: number }): number {
  return Math.ceil(SENDING_ROUND_BATCHES / env.SMTP_POOL_SIZE) * 4 * env.SMTP_TIMEOUT_MS;
}

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isAddressOrSubnet = (entry: string): boolean => {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

/**
 * Express's `trust proxy`: which hops may say, in X-Forwarded-For, who the client is (the login limit counts
 * per client address). `false`, a number of hops, or addresses/subnets and the names loopback, linklocal,
 * uniquelocal. `true` (trust whoever sent the header) is refused: any client could then pick its own address.
 */
const trustProxy = z
  .string()
  .trim()
  .refine(
    (v) =>
      v === 'false' ||
      /^\d+$/.test(v) ||
      v.split(',').every((part) => TRUST_PROXY_NAMES.includes(part.trim()) || isAddressOrSubnet(part.trim())),
    {
      message: `TRUST_PROXY must be false, a number of proxy hops, or comma-separated addresses, subnets or ${TRUST_PROXY_NAMES.join('/')} (not true: any client could then choose its own address)`,
    },
  );

/**
 * The audit key when `AUDIT_KEY` is unset outside production: public, so a chain made with it proves
 * nothing against someone with database access. Production refuses to start without a key of its own.
 */
export const DEVELOPMENT_AUDIT_KEY = 'followup-development-audit-key-not-secret-do-not-use-in-production';

/** Every setting the processes read, with the defaults that make `npm start` work with nothing configured. */
export const envSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: positiveInt('PORT', 3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: url('DATABASE_URL', ['postgres:', 'postgresql:']).default(
      'postgres://postgres@127.0.0.1:5432/followup',
    ),
    /**
     * The schema owner, for migrations; the application's own role (DATABASE_URL) may then be a writer without
     * UPDATE/DELETE on audit rows.
     */
    DATABASE_MIGRATION_URL: url('DATABASE_MIGRATION_URL', ['postgres:', 'postgresql:']).optional(),
    DB_POOL_SIZE: positiveInt('DB_POOL_SIZE', 10),
    REDIS_URL: url('REDIS_URL', ['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    SMTP_URL: url('SMTP_URL', ['smtp:', 'smtps:']).default('smtp://127.0.0.1:2525'),
    SMTP_POOL_SIZE: positiveInt('SMTP_POOL_SIZE', 5),
    SMTP_TIMEOUT_MS: positiveInt('SMTP_TIMEOUT_MS', 5000),
    MAIL_FROM: z.string().trim().email('MAIL_FROM must be an email address').default('followup@localhost'),
    APP_BASE_URL: url('APP_BASE_URL', ['http:', 'https:']).default('http://localhost:3000'),
    ADMIN_EMAIL: z.string().trim().email('ADMIN_EMAIL must be an email address').optional(),
    ADMIN_PASSWORD: z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional(),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    /** Keys the audit chain's hashes and signs its checkpoints; never stored in the database. */
    AUDIT_KEY: z.string().min(32, 'AUDIT_KEY must be at least 32 characters').optional(),
    JWT_TTL: isoDuration('JWT_TTL').default('PT1H'),
    LOGIN_MAX_FAILURES: positiveInt('LOGIN_MAX_FAILURES', 10),
    LOGIN_FAILURE_WINDOW: isoDuration('LOGIN_FAILURE_WINDOW').default('PT15M'),
    LOGIN_ACCOUNT_MAX_FAILURES: positiveInt('LOGIN_ACCOUNT_MAX_FAILURES', 50),
    TRUST_PROXY: trustProxy.default('loopback'),
    QUEUE_DASHBOARD_ACTIONS: booleanFlag('QUEUE_DASHBOARD_ACTIONS'),
    /** Who may read /docs and /docs-json; unset: signed-in when NODE_ENV=production, public otherwise. */
    API_DOCS: z
      .enum(['public', 'signed-in', 'off'], { message: 'API_DOCS must be public, signed-in or off' })
      .optional(),
    SESSION_IDLE_TIMEOUT: isoDuration('SESSION_IDLE_TIMEOUT').default('PT30M'),
    SESSION_ABSOLUTE_TIMEOUT: isoDuration('SESSION_ABSOLUTE_TIMEOUT').default('PT12H'),
    REMINDER_OFFSETS: durationList('REMINDER_OFFSETS').default('P14D,P7D,P1D'),
    ESCALATE_AFTER: isoDuration('ESCALATE_AFTER').default('P7D'),
    ESCALATE_EVERY: isoDuration('ESCALATE_EVERY').default('P7D'),
    /**
     * A planned recommendation with no progress for this long is "No recent progress"; its liaison officers are nudged
     * once per period.
     */
    STALE_AFTER: isoDuration('STALE_AFTER').default('P30D'),
    /** Where the phase banner's feedback link writes to. */
    FEEDBACK_EMAIL: z
      .string()
      .trim()
      .email('FEEDBACK_EMAIL must be an email address')
      .default('followup-feedback@hmicfrs.gov.uk'),
    DIGEST_WINDOW: isoDuration('DIGEST_WINDOW').default('PT1M'),
    SEND_WINDOW: z.string().trim().default('08:00-18:00'),
    QUEUE_PREFIX: z
      .string()
      .trim()
      .regex(/^[a-z0-9-]+$/, 'QUEUE_PREFIX may hold lower-case letters, digits and dashes')
      .default('followup'),
    WORKER_CONCURRENCY: positiveInt('WORKER_CONCURRENCY', 20),
    DISPATCH_DRAINS: positiveInt('DISPATCH_DRAINS', 4),
    RECONCILE_EVERY: isoDuration('RECONCILE_EVERY').default('PT1M'),
    SEND_LEASE: isoDuration('SEND_LEASE').default('PT5M'),
    JOB_ATTEMPTS: positiveInt('JOB_ATTEMPTS', 8),
    JOB_BACKOFF_MS: positiveInt('JOB_BACKOFF_MS', 5000),
    ...evidenceEnvShape,
    /**
     * Webhooks (docs/webhooks.md): how long a delivery is retried, when a failing endpoint is disabled, and what it may
     * reach.
     */
    WEBHOOK_RETRY_FOR: isoDuration('WEBHOOK_RETRY_FOR').default('P3D'),
    WEBHOOK_DISABLE_AFTER: isoDuration('WEBHOOK_DISABLE_AFTER').default('P1D'),
    WEBHOOK_ALLOW_PRIVATE: booleanFlag('WEBHOOK_ALLOW_PRIVATE'),
    WEBHOOK_TIMEOUT_MS: positiveInt('WEBHOOK_TIMEOUT_MS', 10000),
    WEBHOOK_MAX_RESPONSE_BYTES: positiveInt('WEBHOOK_MAX_RESPONSE_BYTES', 65536),
    WEBHOOK_BACKOFF_MS: positiveInt('WEBHOOK_BACKOFF_MS', 10000),
    WEBHOOK_MAX_BACKOFF: isoDuration('WEBHOOK_MAX_BACKOFF').default('PT6H'),
    WEBHOOK_SECRET_OVERLAP: isoDuration('WEBHOOK_SECRET_OVERLAP').default('P1D'),
    WEBHOOK_CONCURRENCY: positiveInt('WEBHOOK_CONCURRENCY', 20),
    /**
     * Metrics (docs/operations.md): the worker's /metrics port (none when unset), and the bearer token /metrics needs
     * when set.
     */
    METRICS_PORT: z.coerce
      .number({ message: 'METRICS_PORT must be a number' })
      .int('METRICS_PORT must be a whole number')
      .min(0, 'METRICS_PORT must be a port number')
      .max(65535, 'METRICS_PORT must be a port number')
      .optional(),
    METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
    /** OpenTelemetry traces go to `<endpoint>/v1/traces` (OTLP over HTTP); none when unset. */
    OTEL_EXPORTER_OTLP_ENDPOINT: url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']).optional(),
    // Identity (docs/identity.md): config/identity.env.ts.
    ...identityEnvShape,
    // Single sign-on (OpenID Connect): config/oidc.env.ts.
    ...oidcEnvShape,
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
      });
    }
    try {
      parseSendWindow(env.SEND_WINDOW);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['SEND_WINDOW'], message: (error as Error).message });
    }
    // A lease that ends while its round is still sending lets a second worker send the same rows again.
    const roundMs = longestSendingRoundMs(env);
    const leaseMs = durationMsOrNull(env.SEND_LEASE);
    if (leaseMs !== null && leaseMs <= roundMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEND_LEASE'],
        message: `SEND_LEASE must be longer than the longest sending round, ${roundMs / SECOND_MS} s (ceil(${SENDING_ROUND_BATCHES} / SMTP_POOL_SIZE) × 4 × SMTP_TIMEOUT_MS)`,
      });
    }
    if (env.NODE_ENV === 'production' && (env.AUDIT_KEY === undefined || env.AUDIT_KEY === DEVELOPMENT_AUDIT_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_KEY'],
        message: 'AUDIT_KEY must be set to a secret of at least 32 characters when NODE_ENV=production',
      });
    }
    const idleMs = durationMsOrNull(env.SESSION_IDLE_TIMEOUT);
    const absoluteMs = durationMsOrNull(env.SESSION_ABSOLUTE_TIMEOUT);
    if (idleMs !== null && absoluteMs !== null && absoluteMs < idleMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_ABSOLUTE_TIMEOUT'],
        message: 'SESSION_ABSOLUTE_TIMEOUT must be at least SESSION_IDLE_TIMEOUT',
      });
    }
    for (const problem of oidcProblems(env))
      ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });

export type Env = z.infer<typeof envSchema>;

/** Milliseconds of a duration the schema has already checked. */
const ms = (iso: string): number => parsePositiveDuration(iso).toMillis();

/** For checks across settings, which may see a duration its own check has refused. */
function durationMsOrNull(iso: string): number | null {
  try {
    return ms(iso);
  } catch {
    return null;
  }
}

/** Settings in the shapes the code uses: durations parsed, lists split. */
export interface AppConfig {
  env: Env;
  /** AUDIT_KEY, or the development key outside production. */
  auditKey: string;
  /** Where migrations run: DATABASE_MIGRATION_URL, or DATABASE_URL when unset. */
  migrationDatabaseUrl: string;
  reminderOffsets: string[];
  digestWindowMs: number;
  sendWindow: SendWindow;
  jwtTtlSeconds: number;
  loginFailureWindowSeconds: number;
  /** The value for Express's `trust proxy` setting. */
  trustProxy: false | number | string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  reconcileEveryMs: number;
  sendLeaseMs: number;
  /** Evidence files: store, scanner, limits, retention (config/evidence.env.ts). */
  evidence: EvidenceConfig;
  webhooks: { retryForMs: number; disableAfterMs: number; maxBackoffMs: number };
  /** API_DOCS, or its default: signed-in when NODE_ENV=production, public otherwise. */
  apiDocs: 'public' | 'signed-in' | 'off';
  /** Single sign-on (config/oidc.env.ts); null when OIDC_ISSUER is unset. */
  oidc: OidcConfig | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings count as unset, as in most deployment tools.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  return {
    env,
    auditKey: env.AUDIT_KEY ?? DEVELOPMENT_AUDIT_KEY,
    migrationDatabaseUrl: env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL,
    reminderOffsets: env.REMINDER_OFFSETS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    digestWindowMs: ms(env.DIGEST_WINDOW),
    sendWindow: parseSendWindow(env.SEND_WINDOW),
    jwtTtlSeconds: Math.round(ms(env.JWT_TTL) / SECOND_MS),
    loginFailureWindowSeconds: Math.round(ms(env.LOGIN_FAILURE_WINDOW) / SECOND_MS),
    trustProxy:
      env.TRUST_PROXY === 'false' ? false : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
    sessionIdleMs: ms(env.SESSION_IDLE_TIMEOUT),
    sessionAbsoluteMs: ms(env.SESSION_ABSOLUTE_TIMEOUT),
    reconcileEveryMs: ms(env.RECONCILE_EVERY),
    sendLeaseMs: ms(env.SEND_LEASE),
    evidence: evidenceConfig(env),
    webhooks: {
      retryForMs: ms(env.WEBHOOK_RETRY_FOR),
      disableAfterMs: ms(env.WEBHOOK_DISABLE_AFTER),
      maxBackoffMs: ms(env.WEBHOOK_MAX_BACKOFF),
    },
    apiDocs: env.API_DOCS ?? (env.NODE_ENV === 'production' ? 'signed-in' : 'public'),
    oidc: oidcConfig(env),
  };
}
