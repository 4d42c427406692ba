// The persistence adapter's public surface: Storage and its repositories, entities, migrations, the audit log and
// transactions.
export * from './entities/index.js';
export {
  createDataSource,
  runMigrationsSafely,
  migrations,
  MIGRATION_LOCK_KEY,
  type CreateDataSourceOptions,
} from './data-source.js';
export { appendAuditEvent, canonicalJson, type AuditEventFields, type AuditEventInput } from './audit/audit-log.js';
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
export {
  checkpointKeys,
  signCheckpoint,
  verifiedCheckpoint,
  type AuditCheckpoint,
  type CheckpointKeys,
} from './audit/audit-checkpoint.js';
export { grantApplicationRole } from './roles.js';
export { startupProblem } from './startup-check.js';
export { AuditRepository, type AuditRecord, type AuditedEntityType } from './audit/audit.repository.js';
export { Storage, Repositories } from './store/storage.js';
export {
  DashboardTalliesRepository,
  type MonthDelta,
  type StateCount,
} from './recommendations/dashboard-tallies.repository.js';
export {
  LedgerRepository,
  type ClaimedLedgerRow,
  type LedgerDb,
  type PlannedBatchRow,
  type Refusal,
  type RowToPlan,
} from './ledger/ledger.repository.js';
export { RecipientsRepository } from './ledger/recipients.repository.js';
export { DispatchQueries, type DispatchDecision, type DispatchRecommendation } from './ledger/dispatch.queries.js';
export { CalendarCancelQueries } from './ledger/calendar-cancel.queries.js';
export { WeeklySummaryQueries } from './ledger/weekly-summary.queries.js';
export { SettingsRepository } from './settings/settings.repository.js';
export { InspectionsRepository, type NewInspection } from './inspections/inspections.repository.js';
export {
  RecommendationsRepository,
  type IssuedRecommendation,
  type NewEvidence,
  type ReplacementCandidate,
} from './recommendations/recommendations.repository.js';
export {
  HISTORY_IN_DETAIL,
  type EvidenceView,
  type HistoryEntry,
  type PositionedHistoryEntry,
  type RecommendationDetailRow,
  type RecommendationFilter,
  type RecommendationListQuery,
  type RecommendationListRow,
  type RecommendationPageRequest,
} from './recommendations/recommendation.queries.js';
export { AuditChainRepository } from './audit/audit-chain.repository.js';
export {
  NotificationListQueries,
  type LedgerPageFilter,
  type LedgerScope,
} from './ledger/notification-list.queries.js';
export { OrganisationsRepository } from './people/organisations.repository.js';
export { AccountLinksRepository, type UnsentLinkRow } from './people/account-links.repository.js';
export { ApiTokensRepository, type ApiTokenHolderRow, type ApiTokenSummary } from './people/api-tokens.repository.js';
export { TwoFactorRepository, type TwoFactorRow } from './people/two-factor.repository.js';
export { SingleSignOnRepository } from './people/single-sign-on.repository.js';
export type { AccountLinkPurpose } from './entities/account-link.entity.js';
export { UsersRepository, type ActiveUserRow, type NewUser, type UserChanges } from './people/users.repository.js';
export { PoliciesRepository } from './policies/policies.repository.js';
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
export {
  OverdueListQueries,
  type OverdueListFilter,
  type OverdueListRow,
  type OverdueListSeek,
} from './records/overdue-list.queries.js';
export {
  ReadinessQueries,
  type ReadinessEventRow,
  type ReadinessEvidenceRow,
  type ReadinessHeadRow,
  type ReadinessNoticeRow,
} from './records/readiness.queries.js';
export {
  RegisterQueries,
  type RegisterForce,
  type RegisterInspectionRow,
  type RegisterOrganisationRow,
  type RegisterRecommendationRow,
  type RegisterStatusChangeRow,
  type RegisterVersionRow,
} from './records/register.queries.js';
export {
  SearchQueries,
  type SearchInspectionRow,
  type SearchRecommendationRow,
  type SearchRequest,
} from './records/search.queries.js';
export {
  ToDoQueries,
  type ChangeRow,
  type ForceAtRiskRow,
  type InspectionDeadlineRow,
  type LiaisonToDoGroup,
  type ToDoCountRow,
  type ToDoRow,
} from './records/to-do.queries.js';
export { WorkListQueries, type WorkInspectionCountRow } from './records/work-lists.queries.js';
export * from './persistence.module.js';
export {
  runInTransaction,
  domainErrorFromDatabase,
  isDatabaseError,
  isRetryableDatabaseError,
  PgErrorCode,
  TRANSACTION_ATTEMPTS,
  type TransactionOptions,
} from './transactions.js';
export {
  EvidenceFilesRepository,
  type EvidenceFileRow,
  type ExpiredEvidenceFile,
  type LegalHold,
  type NewEvidenceFile,
} from './evidence/evidence-files.repository.js';
export { WebhooksRepository } from './webhooks/webhooks.repository.js';
export type {
  AttemptRecord,
  ClaimedDelivery,
  DeliveryRow,
  DisabledEndpoint,
  DueDelivery,
  EventToDeliver,
  SubscriptionRow,
} from './webhooks/webhooks.types.js';
export { LedgerFiguresQueries, type LedgerFigures } from './ledger/ledger-figures.queries.js';
