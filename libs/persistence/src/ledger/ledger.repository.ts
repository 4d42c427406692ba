// The notification ledger's repository: the only code that writes `notifications.status`, each write one move of the
// domain's table.
import { notificationsPlanned } from '#observability';
import {
  LedgerMove,
  NotificationStatus,
  ledgerMoveFrom,
  ledgerTransition,
  type DeadlineType,
  type LedgerOrigin,
  type NotificationKind,
  type PlannedNotification,
} from '#domain';
import { chunksOf } from '../chunks.js';
import { RECIPIENT_ENTITLED_SQL } from './recipient-entitlement.js';
import type { ClaimedLedgerRow, LedgerDb, PlannedBatchRow, Refusal, RowToPlan } from './ledger.types.js';

export type { ClaimedLedgerRow, LedgerDb, PlannedBatchRow, Refusal, RowToPlan } from './ledger.types.js';

const PLAN_CHUNK = 2000;

/** `status = 'a'` or `status IN ('a', 'b')`: the text PostgreSQL matches partial indexes by. */
function statusIn(from: readonly LedgerOrigin[], column = 'status'): string {
  const values = from.filter((s): s is NotificationStatus => s !== null).map((s) => `'${s}'`);
  return values.length === 1 ? `${column} = ${values[0]}` : `${column} IN (${values.join(', ')})`;
}
const to = (move: LedgerMove): string => `'${ledgerTransition(move).to}'`;

const SCHEDULED = statusIn([NotificationStatus.Scheduled]);

export class LedgerRepository {
  constructor(private readonly db: LedgerDb) {}

  /**
   * Plan: inserts rows; a row already in the ledger stays as it is (sent means sent, once), except one in a
   * state `from` names (by default the table's: a cancelled row, which a restored deadline brings back).
   */
  async plan(
    rows: readonly RowToPlan[],
    from: readonly LedgerOrigin[] = ledgerMoveFrom(LedgerMove.Plan),
  ): Promise<PlannedBatchRow[]> {
    const revive = ledgerMoveFrom(LedgerMove.Plan, from).filter((s) => s !== null);
    const onConflict =
      revive.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET status = ${to(LedgerMove.Plan)}, send_at = EXCLUDED.send_at, batch_key = EXCLUDED.batch_key,
                         attempts = 0, last_error = NULL, message_id = NULL, retry_at = NULL, updated_at = now()
            WHERE ${statusIn(revive, 'notifications.status')}`;
    const planned: PlannedBatchRow[] = [];
    for (const chunk of chunksOf(rows, PLAN_CHUNK)) {
      const column = <T>(pick: (r: RowToPlan) => T) => chunk.map(pick);
      planned.push(
        ...(await this.db.query<PlannedBatchRow[]>(
          `INSERT INTO notifications (dedup_key, recommendation_id, inspection_id, organisation_id, deadline_type, deadline_at,
                                      kind, offset_key, recipient_id, recipient_email, send_at, batch_key, status)
           SELECT *, ${to(LedgerMove.Plan)} FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[],
                                            $7::text[], $8::text[], $9::uuid[], $10::text[], $11::timestamptz[], $12::text[])
           ON CONFLICT (dedup_key) ${onConflict}
           RETURNING batch_key AS "batchKey", send_at AS "sendAt", kind`,
          [
            column((p) => p.dedupKey),
            column((p) => p.recommendationId),
            column((p) => p.inspectionId),
            column((p) => p.organisationId),
            column((p) => p.deadlineType),
            column((p) => p.deadlineAt.toISOString()),
            column((p) => p.kind),
            column((p) => p.offsetKey),
            column((p) => p.recipientId),
            column((p) => p.recipientEmail),
            column((p) => p.sendAt.toISOString()),
            column((p) => p.batchKey),
          ],
        )),
      );
    }
    for (const row of planned as Array<PlannedBatchRow & { kind?: string }>)
      notificationsPlanned.inc({ kind: row.kind ?? 'unknown' });
    return planned;
  }

  /** Rows still waiting whose batch the plan now puts elsewhere (a changed digest preference) move to it. */
  moveToBatches(planned: readonly PlannedNotification[]): Promise<PlannedBatchRow[]> {
    if (planned.length === 0) return Promise.resolve([]);
    // In a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with its rows.
    return this.db.query(
      `WITH moved AS (
         UPDATE notifications n SET send_at = p.send_at, batch_key = p.batch_key, updated_at = now()
           FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS p(dedup_key, send_at, batch_key)
          WHERE n.dedup_key = p.dedup_key AND ${statusIn([NotificationStatus.Scheduled], 'n.status')} AND n.batch_key <> p.batch_key
         RETURNING n.batch_key, n.send_at)
       SELECT batch_key AS "batchKey", send_at AS "sendAt" FROM moved`,
      [planned.map((p) => p.dedupKey), planned.map((p) => p.sendAt.toISOString()), planned.map((p) => p.batchKey)],
    );
  }

  /** Cancel stale: each row with its reason, if it is still in a state `from` names. */
  async cancelStale(stale: readonly { id: string; reason: string }[], from: readonly LedgerOrigin[]): Promise<void> {
    if (stale.length === 0) return;
    await this.db.query(
      `UPDATE notifications n SET status = ${to(LedgerMove.CancelStale)}, last_error = c.reason, claimed_at = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS c(id, reason)
        WHERE n.id = c.id AND ${statusIn(ledgerMoveFrom(LedgerMove.CancelStale, from), 'n.status')}`,
      [stale.map((r) => r.id), stale.map((r) => r.reason)],
    );
  }

  /** Cancel stale: what a person may no longer receive (RECIPIENT_ENTITLED_SQL) among their waiting rows. */
  async cancelUnentitled(recipientId: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications n SET status = ${to(LedgerMove.CancelStale)}, updated_at = now(), last_error = $2
        WHERE n.recipient_id = $1 AND ${statusIn(ledgerMoveFrom(LedgerMove.CancelStale, [NotificationStatus.Scheduled]), 'n.status')}
          AND NOT ${RECIPIENT_ENTITLED_SQL}`,
      [recipientId, reason],
    );
  }

  /** Of these rows, those whose recipient may no longer receive them. */
  async unentitled(ids: readonly string[]): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT n.id FROM notifications n WHERE n.id = ANY($1::uuid[]) AND NOT ${RECIPIENT_ENTITLED_SQL}`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /** The recommendations' waiting rows, as much as the staleness rule needs. */
  waitingFor(
    recommendationIds: readonly string[],
  ): Promise<
    { id: string; recommendationId: string; kind: NotificationKind; deadlineType: DeadlineType; deadlineAt: Date }[]
  > {
    return this.db.query(
      `SELECT id, recommendation_id AS "recommendationId", kind, deadline_type AS "deadlineType", deadline_at AS "deadlineAt"
         FROM notifications
        WHERE recommendation_id = ANY($1::uuid[]) AND ${SCHEDULED}`,
      [recommendationIds],
    );
  }

  /** The escalation rows of these recommendations that are not cancelled: the ladders under way. */
  escalationsUnderway(
    recommendationIds: readonly string[],
  ): Promise<
    { recommendationId: string; deadlineType: string; deadlineAt: Date; recipientId: string; dedupKey: string }[]
  > {
    return this.db.query(
      `SELECT recommendation_id AS "recommendationId", deadline_type AS "deadlineType", deadline_at AS "deadlineAt",
              recipient_id AS "recipientId", dedup_key AS "dedupKey"
         FROM notifications
        WHERE recommendation_id = ANY($1::uuid[]) AND kind = 'escalation' AND status <> '${NotificationStatus.Cancelled}'`,
      [recommendationIds],
    );
  }

  /**
   * Claim, first step (in the claim's transaction): of the oldest due rows (a scan of all of them, per
   * round, made a burst quadratic), up to `batches` of their batches, each locked for this transaction;
   * those another worker is claiming right now are skipped, not waited for.
   */
  async lockDueBatches(
    windowsBefore: Date,
    retriesBy: Date,
    batches: number,
    candidateRows: number,
  ): Promise<string[]> {
    const keys: { batchKey: string }[] = await this.db.query(
      `SELECT batch_key AS "batchKey" FROM (
         SELECT DISTINCT batch_key FROM (
           SELECT batch_key FROM notifications
            WHERE ${SCHEDULED} AND send_at < $1 AND (retry_at IS NULL OR retry_at <= $2)
            ORDER BY send_at LIMIT $4) oldest) due
        WHERE pg_try_advisory_xact_lock(hashtext(batch_key))
        LIMIT $3`,
      [windowsBefore, retriesBy, batches, candidateRows],
    );
    return keys.map((k) => k.batchKey);
  }

  /**
   * Claim, second step: a new statement after the locks, so its snapshot sees every earlier claim of these
   * batches. A batch's rows take the batch's Message-ID unless a row of the batch already went under it;
   * those come back with none, for the caller to name (setMessageIds).
   */
  claim(
    batchKeys: readonly string[],
    batchMessageIds: readonly string[],
    retriesBy: Date,
  ): Promise<ClaimedLedgerRow[]> {
    return this.db.query(
      `WITH claimed AS (
         UPDATE notifications n
            SET status = ${to(LedgerMove.Claim)}, claimed_at = now(), attempts = n.attempts + 1, updated_at = now(),
                message_id = COALESCE(n.message_id, CASE WHEN EXISTS (
                  SELECT 1 FROM notifications e WHERE e.batch_key = b.batch_key AND e.message_id = b.message_id) THEN NULL ELSE b.message_id END)
           FROM unnest($1::text[], $2::text[]) AS b(batch_key, message_id)
          WHERE n.batch_key = b.batch_key AND ${statusIn(ledgerMoveFrom(LedgerMove.Claim), 'n.status')} AND (n.retry_at IS NULL OR n.retry_at <= $3)
          RETURNING n.id, n.recommendation_id, n.organisation_id, n.deadline_type, n.deadline_at, n.kind, n.offset_key, n.recipient_id,
                    n.recipient_email, n.attempts, n.send_at, n.batch_key, n.message_id)
       SELECT claimed.id, claimed.recommendation_id AS "recommendationId", claimed.organisation_id AS "organisationId",
              claimed.deadline_type AS "deadlineType", claimed.deadline_at AS "deadlineAt", claimed.kind,
              claimed.offset_key AS "offsetKey", claimed.recipient_id AS "recipientId",
              claimed.recipient_email AS "recipientEmail", claimed.attempts, claimed.send_at AS "sendAt",
              claimed.batch_key AS "batchKey", claimed.message_id AS "messageId", u.name AS "recipientName"
         FROM claimed LEFT JOIN users u ON u.id = claimed.recipient_id
        ORDER BY claimed.deadline_at, claimed.id`,
      [batchKeys, batchMessageIds, retriesBy],
    );
  }

  async setMessageIds(ids: readonly string[], messageIds: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE notifications n SET message_id = l.message_id FROM unnest($1::uuid[], $2::text[]) AS l(id, message_id) WHERE n.id = l.id`,
      [ids, messageIds],
    );
  }

  /** Mark sent: the SMTP server accepted these rows' email. */
  async markSent(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(
      `UPDATE notifications SET status = ${to(LedgerMove.MarkSent)}, sent_at = now(), last_error = NULL, retry_at = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND ${statusIn(ledgerMoveFrom(LedgerMove.MarkSent))}`,
      [ids],
    );
  }

  /** Retry later or fail, each row by its own move, in one statement. */
  async recordRefusals(refusals: readonly Refusal[]): Promise<void> {
    if (refusals.length === 0) return;
    const from = [...new Set(refusals.flatMap((r) => ledgerMoveFrom(r.move)))];
    await this.db.query(
      `UPDATE notifications n SET status = u.status, last_error = u.error, retry_at = u.retry_at, claimed_at = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS u(id, status, error, retry_at)
        WHERE n.id = u.id AND ${statusIn(from, 'n.status')}`,
      [
        refusals.map((r) => r.id),
        refusals.map((r) => ledgerTransition(r.move).to),
        refusals.map((r) => r.error),
        refusals.map((r) => r.retryAt),
      ],
    );
  }

  /** Release expired claims: rows a worker claimed longer than `leaseMs` ago and never recorded. Returns how many. */
  async releaseExpiredClaims(leaseMs: number, reason: string): Promise<number> {
    const [{ count }]: { count: number }[] = await this.db.query(
      `WITH released AS (
         UPDATE notifications
            SET status = ${to(LedgerMove.ReleaseExpiredClaim)}, claimed_at = NULL, updated_at = now(), last_error = $2
          WHERE ${statusIn(ledgerMoveFrom(LedgerMove.ReleaseExpiredClaim))} AND claimed_at < now() - $1 * interval '1 millisecond'
          RETURNING 1)
       SELECT count(*)::int AS count FROM released`,
      [leaseMs, reason],
    );
    return count;
  }

  /**
   * Waiting rows due before `before`, grouped by digest window and retry window: the earliest send and latest retry of
   * each group.
   */
  waitingByWindow(windowMs: number, before: Date): Promise<{ sendAt: Date; retryAt: Date | null; rows: number }[]> {
    return this.db.query(
      `SELECT min(send_at) AS "sendAt", max(retry_at) AS "retryAt", count(*)::int AS rows
         FROM notifications
        WHERE ${SCHEDULED} AND send_at < $2
        GROUP BY floor(extract(epoch FROM send_at) * 1000 / $1), ceil(extract(epoch FROM retry_at) * 1000 / $1)`,
      [windowMs, before],
    );
  }
}
