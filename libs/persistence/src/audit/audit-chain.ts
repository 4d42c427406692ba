// The keyed audit chain: the sequencer that gives committed events their positions, and the verifier.
import { createHmac } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { canonicalJson, hashedEventFields, type AuditEventFields } from './audit-log.js';

/** `e` (an audit_events row) as AuditEventFields, the fields the chain hashes: camelCase names, `seq` as text. */
const EVENT_COLUMNS = `e.seq::text AS seq, e.id, e.at, e.actor_id AS "actorId", e.entity_type AS "entityType",
  e.entity_id AS "entityId", e.action, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.comment, e.changes`;

/** `prev_hash` of position 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** Session-level advisory lock key held by the one sequencer running at a time ("FUT" + "SEQN"). */
export const AUDIT_SEQUENCER_LOCK_KEY = 4_683_940_003n;

/** Events chained per transaction of the sequencer. */
export const SEQUENCE_BATCH = 1_000;

/** Rows read per keyset page when verifying. */
const VERIFY_BATCH = 5_000;

/** The chain's HMAC key, derived from AUDIT_KEY so that the checkpoint key (derived alike) is a different one. */
export function auditChainKey(auditKey: string): Buffer {
  return createHmac('sha256', auditKey).update('followup-audit-chain-v1').digest();
}

/** HMAC-SHA256 (hex) of the canonical JSON of the event, its position and the previous link's hash. */
export function chainHash(chainKey: Buffer, prevHash: string, position: string, e: AuditEventFields): string {
  // canonicalJson sorts keys, so where the spread stands does not change the hash.
  const payload = { prevHash, position, id: e.id, ...hashedEventFields(e) };
  return createHmac('sha256', chainKey).update(canonicalJson(payload), 'utf8').digest('hex');
}

export interface ChainHead {
  /** 0 for an empty chain. */
  position: string;
  hash: string;
}

/** The last link of the chain, or position 0 with the genesis hash. */
export async function chainHead(q: Pick<EntityManager, 'query'>): Promise<ChainHead> {
  // ORDER BY the column, not the text alias (which would put '9' after '10').
  const [head] = await q.query<ChainHead[]>(
    `SELECT position::text AS position, hash FROM audit_chain ORDER BY audit_chain.position DESC LIMIT 1`,
  );
  return head ?? { position: '0', hash: GENESIS_HASH };
}

export interface SequenceReport {
  /** False when another sequencer held the lock: it will chain what this one would have. */
  ran: boolean;
  sequenced: number;
  head: ChainHead;
}

/**
 * Chains every event whose transaction has ended, in batches of SEQUENCE_BATCH, one transaction each.
 * One sequencer at a time (`pg_try_advisory_lock`; the others return at once); the primary key on
 * `position` would refuse a second one's links anyway.
 *
 * Order: an event is taken only once its transaction id is below the oldest transaction of this database
 * still running (HORIZON_SQL), so every event that will ever commit with a smaller transaction id is visible by
 * then; events go in (transaction id, seq) order. The chain's head event therefore bounds what is left:
 * no event with a smaller transaction id can still be unchained, and each run starts its scan there.
 */
export async function sequenceAuditEvents(
  ds: DataSource,
  chainKey: Buffer,
  batchSize = SEQUENCE_BATCH,
): Promise<SequenceReport> {
  const qr = ds.createQueryRunner('master');
  const lockKey = AUDIT_SEQUENCER_LOCK_KEY.toString();
  try {
    await qr.connect();
    const [{ locked }] = (await qr.query(`SELECT pg_try_advisory_lock($1) AS locked`, [lockKey])) as Array<{
      locked: boolean;
    }>;
    if (!locked) return { ran: false, sequenced: 0, head: await chainHead(qr) };
    try {
      const [start] = (await qr.query(
        `SELECT c.position::text AS position, c.hash, e.tx::text AS tx
           FROM audit_chain c JOIN audit_events e ON e.seq = c.event_seq
          ORDER BY c.position DESC LIMIT 1`,
      )) as Array<ChainHead & { tx: string }>;
      let head: ChainHead = start ?? { position: '0', hash: GENESIS_HASH };
      let floor = start?.tx ?? '0';
      let sequenced = 0;
      for (;;) {
        const batch = await sequenceBatch(qr, chainKey, head, floor, batchSize);
        sequenced += batch.count;
        head = batch.head;
        if (batch.count < batchSize) return { ran: true, sequenced, head };
        floor = batch.lastTx;
      }
    } finally {
      await qr.query(`SELECT pg_advisory_unlock($1)`, [lockKey]).catch(() => undefined);
    }
  } finally {
    await qr.release();
  }
}

/**
 * The oldest transaction id that may still commit an event in this database: the smallest in-progress id
 * of the snapshot that belongs to one of this database's sessions (or prepared transactions), else the
 * snapshot's xmax. Only this database's transactions can write its events, so a long transaction in
 * another database of the same server does not hold the chain back (`pg_snapshot_xmin` would). An id
 * that appears in the snapshot but no longer in pg_stat_activity has ended, and its events are visible
 * to the next statement.
 */
const HORIZON_SQL = `
  WITH snap AS (SELECT pg_current_snapshot() AS s),
       ours AS (
         SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL
         UNION ALL
         SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database())
  SELECT COALESCE(
           (SELECT min(x::text::bigint) FROM snap, pg_snapshot_xip(snap.s) x
             WHERE (x::text::bigint & 4294967295) IN (SELECT xid FROM ours)),
           (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap))::text AS horizon`;

async function sequenceBatch(
  qr: QueryRunner,
  chainKey: Buffer,
  head: ChainHead,
  floor: string,
  batchSize: number,
): Promise<{ count: number; head: ChainHead; lastTx: string }> {
  await qr.startTransaction('READ COMMITTED');
  try {
    // Its own statement, before the one that reads events: every transaction below the horizon has
    // ended by then, so all its committed events are visible to that next statement.
    const [{ horizon }] = (await qr.query(HORIZON_SQL)) as Array<{ horizon: string }>;
    const rows = (await qr.query(
      `SELECT ${EVENT_COLUMNS}, e.tx::text AS tx
         FROM audit_events e
        WHERE e.tx >= $1 AND e.tx < $2
          AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_seq = e.seq)
        ORDER BY e.tx, e.seq
        LIMIT $3`,
      [floor, horizon, batchSize],
    )) as Array<AuditEventFields & { tx: string }>;
    if (rows.length === 0) {
      await qr.commitTransaction();
      return { count: 0, head, lastTx: floor };
    }
    const positions: string[] = [];
    const prevHashes: string[] = [];
    const hashes: string[] = [];
    let prev = head.hash;
    let position = BigInt(head.position);
    for (const row of rows) {
      position += 1n;
      const hash = chainHash(chainKey, prev, position.toString(), row);
      positions.push(position.toString());
      prevHashes.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await qr.query(
      `INSERT INTO audit_chain (position, event_seq, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])`,
      [positions, rows.map((r) => r.seq), prevHashes, hashes],
    );
    await qr.commitTransaction();
    return {
      count: rows.length,
      head: { position: position.toString(), hash: prev },
      lastTx: rows[rows.length - 1].tx,
    };
  } catch (err) {
    if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
    throw err;
  }
}

export type AuditChainBreak =
  /**
   * The link's hash is not the HMAC of its event: the event (or the link) was changed, or the key is not the one that
   * made it.
   */
  | 'hash_mismatch'
  /** The link does not follow the previous one: a position is missing, or the links were reordered. */
  | 'broken_link'
  /** The link names an event that is no longer there. */
  | 'missing_event'
  /** The checkpoint's position now holds another hash: history before it was rewritten. */
  | 'checkpoint_mismatch';

export type AuditChainVerdict =
  | {
      ok: true;
      /** Links verified. */
      count: number;
      head: ChainHead;
      /** Events not (yet) chained: written since the sequencer last ran, or whose transaction is still open. */
      unsequenced: number;
    }
  | {
      ok: false;
      /** Links that verified before the broken one. */
      count: number;
      /** The first link that fails; `seq`/`id` are its event's (null when the event is gone). */
      firstBroken: { position: string; seq: string | null; id: string | null };
      reason: AuditChainBreak;
    }
  | {
      ok: false;
      count: number;
      /** The chain ends before the checkpoint's position: its tail was cut off. */
      reason: 'truncated';
      head: ChainHead;
    };

interface ChainRow extends Partial<AuditEventFields> {
  position: string;
  eventSeq: string;
  prevHash: string;
  hash: string;
  eventFound: boolean;
}

/**
 * Walks the whole chain in position order (keyset pages of 5,000), recomputing every HMAC and checking
 * every link, and names the first broken one: an edited event fails `hash_mismatch` at its position; a
 * removed link fails `broken_link` at the next position. With a checkpoint (an earlier head, signature
 * already checked), the chain must still hold that hash at that position: cutting off the tail is found
 * (`truncated`), and so is a rewrite of everything up to the head (`checkpoint_mismatch`).
 */
export async function verifyAuditChain(
  ds: DataSource,
  chainKey: Buffer,
  checkpoint?: ChainHead,
): Promise<AuditChainVerdict> {
  let expectedPrev = GENESIS_HASH;
  let expectedPosition = 1n;
  let count = 0;
  for (;;) {
    const rows = await ds.query<ChainRow[]>(
      `SELECT c.position::text AS position, c.event_seq::text AS "eventSeq", c.prev_hash AS "prevHash", c.hash,
              e.seq IS NOT NULL AS "eventFound",
              ${EVENT_COLUMNS}
         FROM audit_chain c LEFT JOIN audit_events e ON e.seq = c.event_seq
        WHERE c.position >= $1
        ORDER BY c.position
        LIMIT $2`,
      [expectedPosition.toString(), VERIFY_BATCH],
    );
    for (const r of rows) {
      const firstBroken = {
        position: r.position,
        seq: r.eventFound ? r.seq! : null,
        id: r.eventFound ? r.id! : null,
      };
      if (BigInt(r.position) !== expectedPosition || r.prevHash !== expectedPrev) {
        return { ok: false, count, firstBroken: { ...firstBroken, position: r.position }, reason: 'broken_link' };
      }
      if (!r.eventFound) return { ok: false, count, firstBroken, reason: 'missing_event' };
      if (chainHash(chainKey, r.prevHash, r.position, r as AuditEventFields) !== r.hash || r.seq !== r.eventSeq) {
        return { ok: false, count, firstBroken, reason: 'hash_mismatch' };
      }
      if (checkpoint && r.position === checkpoint.position && r.hash !== checkpoint.hash) {
        return { ok: false, count, firstBroken, reason: 'checkpoint_mismatch' };
      }
      expectedPrev = r.hash;
      expectedPosition += 1n;
      count += 1;
    }
    if (rows.length < VERIFY_BATCH) break;
  }
  const head: ChainHead =
    count === 0
      ? { position: '0', hash: GENESIS_HASH }
      : { position: (expectedPosition - 1n).toString(), hash: expectedPrev };
  if (checkpoint && BigInt(checkpoint.position) > BigInt(head.position))
    return { ok: false, count, reason: 'truncated', head };
  if (checkpoint && checkpoint.position === '0' && checkpoint.hash !== GENESIS_HASH) {
    return { ok: false, count, firstBroken: { position: '0', seq: null, id: null }, reason: 'checkpoint_mismatch' };
  }
  const [{ unsequenced }] = await ds.query<Array<{ unsequenced: number }>>(
    `SELECT count(*)::int AS unsequenced FROM audit_events e WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_seq = e.seq)`,
  );
  return { ok: true, count, head, unsequenced };
}
