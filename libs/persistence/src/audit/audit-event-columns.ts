// The columns the chain's queries select of an audit event, aliased to the fields the chain hashes.

/** `e` (an audit_events row) as AuditEventFields: camelCase names, `seq` as text. */
export const EVENT_COLUMNS = `e.seq::text AS seq, e.id, e.at, e.actor_id AS "actorId", e.entity_type AS "entityType",
  e.entity_id AS "entityId", e.action, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.comment, e.changes`;
