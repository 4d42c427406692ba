// The one place where PostgreSQL's errors become domain errors, and where transactions that lost a race are retried.
import { setTimeout as delay } from 'node:timers/promises';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, invalidInput } from '#domain';

/** SQLSTATE codes this module understands (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const PgErrorCode = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
  SerializationFailure: '40001',
  DeadlockDetected: '40P01',
  InvalidTextRepresentation: '22P02',
  InvalidDatetimeFormat: '22007',
  DatetimeFieldOverflow: '22008',
  /** A NUL character in text, which PostgreSQL cannot store. */
  CharacterNotInRepertoire: '22021',
  UntranslatableCharacter: '22P05',
} as const;

/** How many times a transaction aborted by a serialization failure or a deadlock is run in all. */
export const TRANSACTION_ATTEMPTS = 4;

const RETRYABLE = new Set<string>([PgErrorCode.SerializationFailure, PgErrorCode.DeadlockDetected]);

interface PgErrorFields {
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
}

/** TypeORM wraps the driver's error in QueryFailedError and copies its fields; either shape carries `code`. */
function pgFields(error: unknown): PgErrorFields | null {
  if (typeof error !== 'object' || error === null) return null;
  const fields = error as PgErrorFields & { driverError?: PgErrorFields };
  const source = typeof fields.code === 'string' ? fields : fields.driverError;
  return source && typeof source.code === 'string' && /^[0-9A-Z]{5}$/.test(source.code) ? source : null;
}

/** A statement PostgreSQL refused or failed (whether or not the domain can explain it). */
export const isDatabaseError = (error: unknown): boolean => error instanceof QueryFailedError;

export const isRetryableDatabaseError = (error: unknown): boolean => RETRYABLE.has(pgFields(error)?.code ?? '');

const camel = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The columns a constraint covers, from PostgreSQL's detail ("Key (code)=(MERSEY) already exists."), in API names. */
function fieldsIn(fields: PgErrorFields): string {
  const columns = /^Key \((.+?)\)=/.exec(fields.detail ?? '')?.[1];
  if (!columns) return fields.constraint ?? 'a field';
  return columns
    .split(',')
    .map((c) => camel(c.trim().replace(/^lower\((.+?)(::\w+)?\)$/, '$1')))
    .join(', ');
}

/**
 * The domain error a database error stands for, or null when it is not one the domain can explain
 * (a bug, which stays a 500). An unreachable database is Unavailable (503). Unique → Conflict naming the field; foreign
 * key → InvalidInput
 * naming the field; bad literal → InvalidInput; serialization failure or deadlock → Conflict (retry).
 */
export function domainErrorFromDatabase(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (isDatabaseUnreachable(error))
    return new DomainError(DomainErrorCode.Unavailable, 'the database cannot be reached just now: try again shortly');
  const fields = pgFields(error);
  switch (fields?.code) {
    case PgErrorCode.UniqueViolation:
      return new DomainError(DomainErrorCode.Conflict, `${fieldsIn(fields)} is already in use`);
    case PgErrorCode.ForeignKeyViolation: {
      // Inserting a reference to a missing row names the field; deleting a referenced row is a conflict.
      const missing = /is not present in table/.test(fields.detail ?? '');
      return missing
        ? invalidInput(`${fieldsIn(fields)} does not name an existing record`)
        : new DomainError(
            DomainErrorCode.Conflict,
            `${fields.table ?? 'the record'} is still referenced by other records`,
          );
    }
    case PgErrorCode.SerializationFailure:
    case PgErrorCode.DeadlockDetected:
      return new DomainError(
        DomainErrorCode.Conflict,
        'the change collided with concurrent changes too often: try again',
      );
    case PgErrorCode.InvalidTextRepresentation:
    case PgErrorCode.InvalidDatetimeFormat:
    case PgErrorCode.DatetimeFieldOverflow:
    case PgErrorCode.CharacterNotInRepertoire:
    case PgErrorCode.UntranslatableCharacter:
      return invalidInput('a value is not in the form its field needs');
    default:
      return null;
  }
}

/** Node's socket errors when a connection cannot be made or is cut. */
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * The database is down, restarting or unreachable (not a fault of the request): SQLSTATE class 08
 * (connection exception), 57P01-57P03 (shut down, crashed, starting), a socket error on connect, or the
 * driver's word that the connection ended.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const code = pgFields(error)?.code;
  if (code && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03')) return true;
  const plain = error as {
    code?: unknown;
    message?: unknown;
    driverError?: { code?: unknown; message?: unknown };
  } | null;
  const errno = plain?.code ?? plain?.driverError?.code;
  if (typeof errno === 'string' && CONNECTION_ERRNOS.has(errno)) return true;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a driver's message of any type is read as text
  const message = String(plain?.driverError?.message ?? plain?.message ?? '');
  return /Connection terminated|terminating connection|the database system is (starting up|shutting down|in recovery)/i.test(
    message,
  );
}

/**
 * Throws unless `db` is the manager of an open transaction: for writes that must commit with the change they
 * belong to, and for locks that an autocommit statement would release at once (Storage.pool hands out the
 * same repositories as a transaction does).
 */
export function assertInTransaction(db: Pick<EntityManager, 'queryRunner'>, what: string): void {
  if (!db.queryRunner?.isTransactionActive)
    throw new Error(`${what} must run inside a transaction (Storage.transaction)`);
}

export interface TransactionOptions {
  /** Total runs allowed when the database aborts the transaction for a serialization failure or deadlock. */
  attempts?: number;
}

/**
 * Runs `work` in one transaction. A serialization failure or deadlock rolls it back and runs it again
 * (so `work` must not have effects outside the transaction), up to `attempts` runs with a short jittered
 * pause; what still fails, and every error the domain can explain, leaves as a DomainError.
 */
export async function runInTransaction<T>(
  db: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? TRANSACTION_ATTEMPTS);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      if (isRetryableDatabaseError(error) && attempt < attempts) {
        // Jitter keeps the transactions that collided from colliding again in lockstep.
        await delay(Math.round((5 + Math.random() * 20) * attempt));
        continue;
      }
      throw domainErrorFromDatabase(error) ?? error;
    }
  }
}
