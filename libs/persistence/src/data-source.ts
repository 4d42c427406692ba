// The TypeORM DataSource: entities, migrations, pool settings, and migrations run once however many processes start.
import 'reflect-metadata';
import pg from 'pg';
import { DataSource, MigrationExecutor } from 'typeorm';
import { entities } from './entities/index.js';
import { syncListChecks } from './list-checks.js';
import { InitialSchema1795453200000 } from './migrations/1795453200000-initial-schema.js';
import { NotificationRetryAt1795461248000 } from './migrations/1795461248000-notification-retry-at.js';
import { UserActiveTokenEpoch1795470000000 } from './migrations/1795470000000-user-active-token-epoch.js';
import { AuditSequencer1795480000000 } from './migrations/1795480000000-audit-sequencer.js';
import { OversightRecords1795490000000 } from './migrations/1795490000000-oversight-records.js';
import { EscalationStepKeys1795520000000 } from './migrations/1795520000000-escalation-step-keys.js';
import { OrganisationCodeFormat1795700000000 } from './migrations/1795700000000-organisation-code-format.js';
import { DecisionNotices1795800000000 } from './migrations/1795800000000-decision-notices.js';
import { ProgressAndSignIns1795900000000 } from './migrations/1795900000000-progress-and-sign-ins.js';
import { NaturalReferenceOrder1796000000000 } from './migrations/1796000000000-natural-reference-order.js';
import { SearchIndex1796000000001 } from './migrations/1796000000001-search-index.js';
import { ImmediateRule1796000000002 } from './migrations/1796000000002-immediate-rule.js';
import { EvidenceFiles1796200000000 } from './migrations/1796200000000-evidence-files.js';
import { Webhooks1796300000000 } from './migrations/1796300000000-webhooks.js';
import { SingleSignOn1796500000000 } from './migrations/1796500000000-single-sign-on.js';
import { ApiTokens1796600000000 } from './migrations/1796600000000-api-tokens.js';
import { CalendarCancel1796800000000 } from './migrations/1796800000000-calendar-cancel.js';
import { UserAllOrganisations1796100000000 } from './migrations/1796100000000-user-all-organisations.js';
import { AccountLinks1796100000001 } from './migrations/1796100000001-account-links.js';
import { TwoFactor1796100000002 } from './migrations/1796100000002-two-factor.js';
import { InspectionDrafts1796700000000 } from './migrations/1796700000000-inspection-drafts.js';

/** Every migration, oldest first, as classes (never globs: the compiled layout must not matter). */
export const migrations = [
  InitialSchema1795453200000,
  NotificationRetryAt1795461248000,
  UserActiveTokenEpoch1795470000000,
  AuditSequencer1795480000000,
  OversightRecords1795490000000,
  EscalationStepKeys1795520000000,
  OrganisationCodeFormat1795700000000,
  DecisionNotices1795800000000,
  ProgressAndSignIns1795900000000,
  NaturalReferenceOrder1796000000000,
  SearchIndex1796000000001,
  ImmediateRule1796000000002,
  UserAllOrganisations1796100000000,
  AccountLinks1796100000001,
  TwoFactor1796100000002,
  EvidenceFiles1796200000000,
  Webhooks1796300000000,
  SingleSignOn1796500000000,
  ApiTokens1796600000000,
  InspectionDrafts1796700000000,
  CalendarCancel1796800000000,
];

/** Session-level advisory lock key held while migrations run (any fixed bigint; "FUT" + "MIGR"). */
export const MIGRATION_LOCK_KEY = 4_683_940_001n;

const PG_DATE_OID = 1082;

/**
 * Per-pool type parsers: a `date` column comes back as the `YYYY-MM-DD` string it is, not as a JS Date
 * at local midnight. Everything else keeps pg's defaults (timestamptz → Date, bigint → string).
 */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === PG_DATE_OID && (format === undefined || format === 'text')) return (value: string) => value;
    return (pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown)(oid, format);
  },
};

export interface CreateDataSourceOptions {
  /** Maximum connections in this process's pool (default 10). */
  poolSize?: number;
  /** Log every query through TypeORM's logger (default false; failed queries still throw). */
  logging?: boolean;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

/**
 * A PostgreSQL DataSource for the schema. Not initialized: call `initialize()`, then `runMigrationsSafely`.
 * Never synchronizes; migrations run only when asked.
 */
export function createDataSource(url: string, opts: CreateDataSourceOptions = {}): DataSource {
  const poolSize = opts.poolSize ?? 10;
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // The schema needs no extension (gen_random_uuid() is built in since PostgreSQL 13); don't try to
    // CREATE EXTENSION at every connect. `pgcrypto` names gen_random_uuid() as the uuid generator.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    applicationName: opts.applicationName,
    logging: opts.logging ?? false,
    extra: { max: poolSize, types: pgTypes },
  });
}

/**
 * Runs pending migrations exactly once however many processes start at once: a session-level
 * `pg_advisory_lock` on one dedicated connection serialises them; the first runs the migrations (each in
 * its own transaction, on that same connection), the others wait and then find nothing pending. Then the CHECK
 * constraints that list the domain's values are brought in step with it (syncListChecks), under the same lock.
 * Returns the names of the migrations this call ran. The DataSource must be initialized.
 */
export async function runMigrationsSafely(ds: DataSource): Promise<string[]> {
  const queryRunner = ds.createQueryRunner('master');
  const key = MIGRATION_LOCK_KEY.toString();
  try {
    await queryRunner.connect();
    await queryRunner.query('SELECT pg_advisory_lock($1)', [key]);
    let ran: string[];
    try {
      const executor = new MigrationExecutor(ds, queryRunner);
      executor.transaction = 'each';
      ran = (await executor.executePendingMigrations()).map((m) => m.name);
      await syncListChecks(queryRunner);
    } catch (err) {
      // Unlock, but report the migration's error rather than the unlock's.
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
      throw err;
    }
    await queryRunner.query('SELECT pg_advisory_unlock($1)', [key]);
    return ran;
  } finally {
    await queryRunner.release();
  }
}
