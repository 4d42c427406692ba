// The unkeyed sha256 chain of the global-lock design: only for the migration that returns to that design.
import { createHash } from 'node:crypto';
import { canonicalJson, hashedEventFields, type AuditEventFields } from './audit-log.js';

/** `prev_hash` of the first event of the legacy chain. */
export const LEGACY_GENESIS_HASH = '0'.repeat(64);

/**
 * sha256 (hex) of the canonical JSON of the event together with the previous event's hash, as the legacy chain computed
 * it.
 */
export function legacyAuditHash(prevHash: string, e: Omit<AuditEventFields, 'id'>): string {
  const payload = { prevHash, ...hashedEventFields(e) };
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
}
