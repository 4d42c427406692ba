// The persistence adapter's public surface: Storage and its repositories, entities, migrations, the audit log and transactions.
export * from './entities/index.js';
export {
  createDataSource,
  runMigrationsSafely,
  migrations,
  MIGRATION_LOCK_KEY,
  type CreateDataSourceOptions,
} from './data-source.js';
export { appendAuditEvent, appendAuditEvents, canonicalJson, type AuditEventFields, type AuditEventInput } from './audit/audit-log.js';
export {
  auditChainKey,
  chainHash,
  chainHead,
  sequenceAuditEvents,
  verifyAuditChain,
  AUDIT_SEQUENCER_LOCK_KEY,
  GENESIS_HASH,
  SEQUENCE_BATCH,
  type AuditChainBreak,
  type AuditChainVerdict,
  type ChainHead,
  type SequenceReport,
} from './audit/audit-chain.js';
export { checkpointKeys, signCheckpoint, verifiedCheckpoint, type AuditCheckpoint, type CheckpointKeys } from './audit/audit-checkpoint.js';
export { grantApplicationRole } from './roles.js';
export { AuditRepository, type AuditRecord, type AuditedEntityType } from './audit/audit.repository.js';
export { Storage, Store } from './store/store.js';
export { DashboardTalliesRepository, type MonthDelta, type StateCount } from './store/dashboard-tallies.repository.js';
export {
  LedgerRepository,
  type ClaimedLedgerRow,
  type LedgerDb,
  type PlannedBatchRow,
  type Refusal,
  type RowToPlan,
} from './ledger/ledger.repository.js';
export { RecipientsRepository, type RecipientReplanRow } from './ledger/recipients.repository.js';
export { RECIPIENT_ENTITLED_SQL, liaisonOfSql, managerSeesSql } from './ledger/recipient-entitlement.js';
export { CalendarRepository, type DeadlineRow } from './records/calendar.repository.js';
export {
  DashboardQueries,
  type DashboardClosureRow,
  type DashboardCountRow,
  type DashboardDeltaRow,
  type DashboardMoments,
  type DashboardRows,
  type DashboardScope,
} from './records/dashboard.queries.js';
export { OverdueListQueries, type OverdueListFilter, type OverdueListRow, type OverdueListSeek } from './records/overdue-list.queries.js';
export { ReadinessQueries, type ReadinessEventRow, type ReadinessEvidenceRow, type ReadinessHeadRow, type ReadinessNoticeRow } from './records/readiness.queries.js';
export {
  RegisterQueries,
  type RegisterForceRow,
  type RegisterInspectionRow,
  type RegisterOrganisationRow,
  type RegisterRecommendationRow,
  type RegisterStatusChangeRow,
  type RegisterVersionRow,
} from './records/register.queries.js';
export { WorkListQueries, type WorkInspectionCountRow, type WorkOverdueCountRow, type WorkRevisitRow, type WorkRow } from './records/work.queries.js';
export * from './persistence.module.js';
export {
  runInTransaction,
  domainErrorFromDatabase,
  isRetryableDatabaseError,
  PgErrorCode,
  TRANSACTION_ATTEMPTS,
  type TransactionOptions,
} from './transactions.js';
