import { z } from 'zod';
import { Duration } from 'luxon';
import { parseSendWindow, type SendWindow } from '#domain';

const isoDuration = (name: string) =>
  z.string().trim().refine((v) => Duration.fromISO(v).isValid, { message: `${name} must be an ISO 8601 duration such as P7D or PT10S` });

const durationList = (name: string) =>
  z.string().trim().refine((v) => v === '' || v.split(',').every((part) => Duration.fromISO(part.trim()).isValid), {
    message: `${name} must be comma-separated ISO 8601 durations such as P14D,P7D,P1D`,
  });

const url = (name: string, protocols: string[]) =>
  z.string().trim().refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), {
    message: `${name} must be a URL starting with ${protocols.join(' or ')}`,
  });

const positiveInt = (name: string, fallback: number) =>
  z.coerce.number({ message: `${name} must be a number` }).int(`${name} must be a whole number`).positive(`${name} must be positive`).default(fallback);

/** Every setting the processes read, with the defaults that make `npm start` work with nothing configured. */
export const envSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: positiveInt('PORT', 3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: url('DATABASE_URL', ['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/followup'),
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
    JWT_TTL: isoDuration('JWT_TTL').default('PT1H'),
    LOGIN_MAX_FAILURES: positiveInt('LOGIN_MAX_FAILURES', 10),
    LOGIN_FAILURE_WINDOW: isoDuration('LOGIN_FAILURE_WINDOW').default('PT15M'),
    SESSION_IDLE_TIMEOUT: isoDuration('SESSION_IDLE_TIMEOUT').default('PT30M'),
    SESSION_ABSOLUTE_TIMEOUT: isoDuration('SESSION_ABSOLUTE_TIMEOUT').default('PT12H'),
    REMINDER_OFFSETS: durationList('REMINDER_OFFSETS').default('P14D,P7D,P1D'),
    ESCALATE_AFTER: isoDuration('ESCALATE_AFTER').default('P7D'),
    ESCALATE_EVERY: isoDuration('ESCALATE_EVERY').default('P7D'),
    DIGEST_WINDOW: isoDuration('DIGEST_WINDOW').default('PT1M'),
    SEND_WINDOW: z.string().trim().default('08:00-18:00'),
    QUEUE_PREFIX: z.string().trim().regex(/^[a-z0-9-]+$/, 'QUEUE_PREFIX may hold lower-case letters, digits and dashes').default('followup'),
    WORKER_CONCURRENCY: positiveInt('WORKER_CONCURRENCY', 20),
    DISPATCH_DRAINS: positiveInt('DISPATCH_DRAINS', 4),
    RECONCILE_EVERY: isoDuration('RECONCILE_EVERY').default('PT1M'),
    SEND_LEASE: isoDuration('SEND_LEASE').default('PT2M'),
    JOB_ATTEMPTS: positiveInt('JOB_ATTEMPTS', 8),
    JOB_BACKOFF_MS: positiveInt('JOB_BACKOFF_MS', 5000),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.ADMIN_EMAIL) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together' });
    }
    try {
      parseSendWindow(env.SEND_WINDOW);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['SEND_WINDOW'], message: (error as Error).message });
    }
    const idle = Duration.fromISO(env.SESSION_IDLE_TIMEOUT).toMillis();
    const absolute = Duration.fromISO(env.SESSION_ABSOLUTE_TIMEOUT).toMillis();
    if (idle <= 0) ctx.addIssue({ code: 'custom', path: ['SESSION_IDLE_TIMEOUT'], message: 'SESSION_IDLE_TIMEOUT must be longer than zero' });
    if (absolute < idle) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_ABSOLUTE_TIMEOUT'], message: 'SESSION_ABSOLUTE_TIMEOUT must be at least SESSION_IDLE_TIMEOUT' });
    }
    if (Duration.fromISO(env.ESCALATE_EVERY).toMillis() <= 0) {
      ctx.addIssue({ code: 'custom', path: ['ESCALATE_EVERY'], message: 'ESCALATE_EVERY must be longer than zero' });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Settings in the shapes the code uses: durations parsed, lists split. */
export interface AppConfig {
  env: Env;
  reminderOffsets: string[];
  digestWindowMs: number;
  sendWindow: SendWindow;
  jwtTtlSeconds: number;
  loginFailureWindowSeconds: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  reconcileEveryMs: number;
  sendLeaseMs: number;
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
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const env = parsed.data;
  const ms = (iso: string): number => Duration.fromISO(iso).toMillis();
  return {
    env,
    reminderOffsets: env.REMINDER_OFFSETS.split(',').map((s) => s.trim()).filter(Boolean),
    digestWindowMs: ms(env.DIGEST_WINDOW),
    sendWindow: parseSendWindow(env.SEND_WINDOW),
    jwtTtlSeconds: Math.round(ms(env.JWT_TTL) / 1000),
    loginFailureWindowSeconds: Math.round(ms(env.LOGIN_FAILURE_WINDOW) / 1000),
    sessionIdleMs: ms(env.SESSION_IDLE_TIMEOUT),
    sessionAbsoluteMs: ms(env.SESSION_ABSOLUTE_TIMEOUT),
    reconcileEveryMs: ms(env.RECONCILE_EVERY),
    sendLeaseMs: ms(env.SEND_LEASE),
  };
}
