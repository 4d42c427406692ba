import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditEventEntity } from '../entities/audit-event.entity.js';

/** `prev_hash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Transaction-level advisory lock key that serialises appends across processes ("FUT" + "AUDT"). */
export const AUDIT_LOCK_KEY = 4_683_940_002n;

/** Rows read per keyset page when verifying. */
const VERIFY_BATCH = 5_000;

/** What goes into an event's hash (besides the previous hash). */
export interface AuditHashInput {
  seq: string;
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

/** What a caller appends: `seq`, `prevHash` and `hash` are assigned by `appendAuditEvent`. */
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

export type AuditChainVerdict =
  | { ok: true; count: number }
  | {
      ok: false;
      /** Events that verified before the broken one. */
      count: number;
      firstBroken: { seq: string; id: string };
      reason: 'hash_mismatch' | 'broken_link';
    };

/** The value exactly as it will come back from a jsonb column: toJSON applied, undefined dropped. */
function asJson<T>(value: T): T {
  const text = JSON.stringify(value);
  return (text === undefined ? null : JSON.parse(text)) as T;
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

/** sha256 (hex) of the canonical JSON of the event together with the previous event's hash. */
export function auditHash(prevHash: string, e: AuditHashInput): string {
  const payload = {
    prevHash,
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
  return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
}

function truncateToMillis(d: Date): Date {
  // A JS Date holds whole milliseconds already; copying guards against later mutation by the caller.
  return new Date(Math.trunc(d.getTime()));
}

/**
 * Appends one event to the hash chain. Call it with the manager of the caller's own transaction (READ
 * COMMITTED, PostgreSQL's default), so that the event commits or rolls back with the change it records.
 * A transaction-level advisory lock makes appends serial across processes until that transaction ends:
 * keep the rest of the transaction short.
 */
export async function appendAuditEvent(manager: EntityManager, e: AuditEventInput): Promise<AuditEventEntity> {
  const qr = manager.queryRunner;
  if (!qr || !qr.isTransactionActive) {
    throw new Error('appendAuditEvent must be called inside a transaction (use the manager given by DataSource.transaction)');
  }
  const [lock] = (await manager.query(
    `SELECT pg_advisory_xact_lock($1), current_setting('transaction_isolation') AS isolation`,
    [AUDIT_LOCK_KEY.toString()],
  )) as Array<{ isolation: string }>;
  if (lock.isolation !== 'read committed') {
    // Under REPEATABLE READ or SERIALIZABLE the snapshot predates the lock, so the latest hash read below
    // could be stale and the chain would fork.
    throw new Error(`appendAuditEvent needs a READ COMMITTED transaction, not ${lock.isolation.toUpperCase()}`);
  }
  // A new statement, so a new snapshot: it sees every append committed before the lock was granted.
  const [head] = (await manager.query(
    `SELECT nextval('audit_events_seq_seq')::text AS seq,
            (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS prev_hash,
            date_trunc('milliseconds', clock_timestamp()) AS now`,
  )) as Array<{ seq: string; prev_hash: string | null; now: Date }>;

  const event: AuditHashInput = {
    seq: head.seq,
    at: truncateToMillis(e.at ?? head.now),
    actorId: e.actorId,
    entityType: e.entityType,
    entityId: e.entityId,
    action: e.action,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    comment: e.comment ?? null,
    changes: asJson(e.changes ?? {}),
  };
  const prevHash = head.prev_hash ?? GENESIS_HASH;
  const hash = auditHash(prevHash, event);

  const [inserted] = (await manager.query(
    `INSERT INTO audit_events
       (seq, at, actor_id, entity_type, entity_id, action, from_status, to_status, comment, changes, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12)
     RETURNING id`,
    [
      event.seq,
      event.at,
      event.actorId,
      event.entityType,
      event.entityId,
      event.action,
      event.fromStatus,
      event.toStatus,
      event.comment,
      JSON.stringify(event.changes),
      prevHash,
      hash,
    ],
  )) as Array<{ id: string }>;

  return Object.assign(new AuditEventEntity(), { ...event, id: inserted.id, prevHash, hash });
}

/**
 * Appends several events in order, under one lock and in a few multi-row statements: a 2,000-row import
 * must not make 2,000 round trips. Same rules as `appendAuditEvent`.
 */
export async function appendAuditEvents(manager: EntityManager, events: readonly AuditEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const qr = manager.queryRunner;
  if (!qr || !qr.isTransactionActive) throw new Error('appendAuditEvents must be called inside a transaction');
  const [lock] = (await manager.query(`SELECT pg_advisory_xact_lock($1), current_setting('transaction_isolation') AS isolation`, [
    AUDIT_LOCK_KEY.toString(),
  ])) as Array<{ isolation: string }>;
  if (lock.isolation !== 'read committed') throw new Error(`appendAuditEvents needs a READ COMMITTED transaction, not ${lock.isolation.toUpperCase()}`);
  const [head] = (await manager.query(
    `SELECT (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS prev_hash, date_trunc('milliseconds', clock_timestamp()) AS now`,
  )) as Array<{ prev_hash: string | null; now: Date }>;
  const seqs = (await manager.query(`SELECT nextval('audit_events_seq_seq')::text AS seq FROM generate_series(1, $1)`, [events.length])) as Array<{ seq: string }>;
  // nextval under the lock hands out consecutive values in call order; sort numerically to be sure.
  const ordered = seqs.map((r) => r.seq).sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  let prevHash = head.prev_hash ?? GENESIS_HASH;
  const rows = events.map((e, i) => {
    const event: AuditHashInput = {
      seq: ordered[i],
      at: truncateToMillis(e.at ?? head.now),
      actorId: e.actorId,
      entityType: e.entityType,
      entityId: e.entityId,
      action: e.action,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      comment: e.comment ?? null,
      changes: asJson(e.changes ?? {}),
    };
    const hash = auditHash(prevHash, event);
    const row = [event.seq, event.at, event.actorId, event.entityType, event.entityId, event.action, event.fromStatus, event.toStatus, event.comment, JSON.stringify(event.changes), prevHash, hash];
    prevHash = hash;
    return row;
  });
  const COLUMNS = 12;
  const CHUNK = 1000;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const values = chunk.map((_, r) => `(${Array.from({ length: COLUMNS }, (_, c) => `$${r * COLUMNS + c + 1}${c === 9 ? '::jsonb' : ''}`).join(', ')})`);
    await manager.query(
      `INSERT INTO audit_events (seq, at, actor_id, entity_type, entity_id, action, from_status, to_status, comment, changes, prev_hash, hash)
       VALUES ${values.join(', ')}`,
      chunk.flat(),
    );
  }
}

interface AuditRow {
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
  prev_hash: string;
  hash: string;
}

/**
 * Walks the whole chain in `seq` order (keyset pages of 5,000 rows), recomputing every hash and checking
 * every link, and names the first broken event: an edited row fails `hash_mismatch` at that row; a
 * deleted row fails `broken_link` at the row after it. (Removing the newest events leaves a shorter
 * chain that is still valid: compare `count` with an expected figure to catch that.)
 */
export async function verifyAuditChain(ds: DataSource): Promise<AuditChainVerdict> {
  let expectedPrev = GENESIS_HASH;
  let afterSeq = '0';
  let count = 0;
  for (;;) {
    const rows = (await ds.query(
      `SELECT seq::text AS seq, id, at, actor_id, entity_type, entity_id, action, from_status, to_status,
              comment, changes, prev_hash, hash
         FROM audit_events
        WHERE audit_events.seq > $1
        ORDER BY audit_events.seq -- the column, not the text alias (which would sort '10' before '2')
        LIMIT $2`,
      [afterSeq, VERIFY_BATCH],
    )) as AuditRow[];
    for (const r of rows) {
      const firstBroken = { seq: r.seq, id: r.id };
      if (r.prev_hash !== expectedPrev) return { ok: false, count, firstBroken, reason: 'broken_link' };
      const recomputed = auditHash(r.prev_hash, {
        seq: r.seq,
        at: r.at,
        actorId: r.actor_id,
        entityType: r.entity_type,
        entityId: r.entity_id,
        action: r.action,
        fromStatus: r.from_status,
        toStatus: r.to_status,
        comment: r.comment,
        changes: r.changes,
      });
      if (recomputed !== r.hash) return { ok: false, count, firstBroken, reason: 'hash_mismatch' };
      expectedPrev = r.hash;
      count += 1;
    }
    if (rows.length < VERIFY_BATCH) return { ok: true, count };
    afterSeq = rows[rows.length - 1].seq;
  }
}
