// The audit log's writers: insert-only events in the caller's transaction, and their canonical JSON.
import type { EntityManager } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity.js';
import { chunksOf } from '../chunks.js';
import { assertInTransaction } from '../transactions.js';

/** An audit event as it is stored and hashed. */
export interface AuditEventFields {
  seq: string;
  id: string;
  at: Date;
  actorId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  changes: Record<string, unknown>;
}

/** What a caller appends: `seq`, `id` and the event's place in the chain are assigned for it. */
export interface AuditEventInput {
  /** Defaults to the database clock. Stored (and hashed) truncated to milliseconds. */
  at?: Date;
  actorId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  comment?: string | null;
  /** Any JSON-serialisable record (Dates become ISO strings, as JSON.stringify makes them). */
  changes?: Record<string, unknown>;
}

/** The value exactly as it will come back from a jsonb column: toJSON applied, undefined dropped. */
export function asJson<T>(value: T): T {
  const text = JSON.stringify(value);
  return (text === undefined ? null : JSON.parse(text)) as T;
}

/** What every chain hashes of an event (besides its links): the event as stored, its time as ISO 8601. */
export function hashedEventFields(e: Omit<AuditEventFields, 'id'>) {
  return {
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    entityType: e.entityType,
    entityId: e.entityId,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    comment: e.comment,
    changes: e.changes,
  };
}

/** JSON with object keys sorted at every depth. Input must already be plain JSON (see `asJson`). */
function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

/** Canonical JSON: keys sorted recursively, Dates as ISO 8601 strings, undefined dropped. */
export function canonicalJson(value: unknown): string {
  return stableStringify(asJson(value));
}

/**
 * Records one event with the caller's transaction, so that it commits or rolls back with the change it
 * records. A plain INSERT: no lock, no read of other events, so concurrent writers never wait for each
 * other here. The sequencer (worker) chains it once its transaction has ended.
 */
export async function appendAuditEvent(manager: EntityManager, e: AuditEventInput): Promise<AuditEventEntity> {
  assertInTransaction(manager, 'appendAuditEvent');
  const changes = asJson(e.changes ?? {});
  const [inserted] = await manager.query<Array<{ seq: string; id: string; at: Date }>>(
    `INSERT INTO audit_events (at, actor_id, entity_type, entity_id, action, from_status, to_status, comment, changes)
     VALUES (date_trunc('milliseconds', COALESCE($1::timestamptz, clock_timestamp())), $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
     RETURNING seq::text AS seq, id, at`,
    [
      e.at ?? null,
      e.actorId,
      e.entityType,
      e.entityId,
      e.action,
      e.fromStatus ?? null,
      e.toStatus ?? null,
      e.comment ?? null,
      JSON.stringify(changes),
    ],
  );
  return Object.assign(new AuditEventEntity(), {
    seq: inserted.seq,
    id: inserted.id,
    at: inserted.at,
    actorId: e.actorId,
    entityType: e.entityType,
    entityId: e.entityId,
    action: e.action,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    comment: e.comment ?? null,
    changes,
  });
}

/**
 * Records several events, in order, with the caller's transaction in a few multi-row INSERTs: a 2,000-row
 * import must not make 2,000 round trips. Same rules as `appendAuditEvent` (no lock, nothing read).
 */
export async function appendAuditEvents(manager: EntityManager, events: readonly AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  assertInTransaction(manager, 'appendAuditEvents');
  const COLUMNS = 9;
  // Sequence values are handed out row by row in VALUES order, so the events keep the order given.
  for (const chunk of chunksOf(events, 1000)) {
    const values = chunk.map((_, r) => {
      const p = (c: number) => `$${r * COLUMNS + c}`;
      return `(date_trunc('milliseconds', COALESCE(${p(1)}::timestamptz, clock_timestamp())), ${p(2)}::uuid, ${p(3)}, ${p(4)}::uuid, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}::jsonb)`;
    });
    await manager.query(
      `INSERT INTO audit_events (at, actor_id, entity_type, entity_id, action, from_status, to_status, comment, changes) VALUES ${values.join(', ')}`,
      chunk.flatMap((e) => [
        e.at ?? null,
        e.actorId,
        e.entityType,
        e.entityId,
        e.action,
        e.fromStatus ?? null,
        e.toStatus ?? null,
        e.comment ?? null,
        JSON.stringify(asJson(e.changes ?? {})),
      ]),
    );
  }
}
