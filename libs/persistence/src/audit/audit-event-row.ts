// An audit event as the chain's queries select it: the columns, the row shape and its mapping to the hashed fields.
import type { AuditEventFields } from './audit-log.js';

/** An audit event as `SELECT e.*` (snake_case columns, `seq` as text) returns it. */
export interface AuditEventRow {
  seq: string;
  id: string;
  at: Date;
  actor_id: string | null;
  entity_type: string;
  entity_id: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  comment: string | null;
  changes: Record<string, unknown>;
}

export const EVENT_COLUMNS = `e.seq::text AS seq, e.id, e.at, e.actor_id, e.entity_type, e.entity_id, e.action, e.from_status, e.to_status, e.comment, e.changes`;

/** A selected audit event row in the fields the chain hashes. */
export function auditEventFieldsOf(r: AuditEventRow): AuditEventFields {
  return {
    seq: r.seq,
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    comment: r.comment,
    changes: r.changes,
  };
}
