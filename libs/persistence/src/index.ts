export * from './entities/index.js';
export {
  createDataSource,
  runMigrationsSafely,
  migrations,
  MIGRATION_LOCK_KEY,
  type CreateDataSourceOptions,
} from './data-source.js';
export {
  appendAuditEvent,
  appendAuditEvents,
  auditHash,
  canonicalJson,
  verifyAuditChain,
  GENESIS_HASH,
  AUDIT_LOCK_KEY,
  type AuditChainVerdict,
  type AuditEventInput,
  type AuditHashInput,
} from './audit/audit-log.js';
export * from './persistence.module.js';
