// Webhook subscriptions and their delivery ledger: the only SQL that reads or writes webhook_subscriptions,
// webhook_deliveries and webhook_attempts.
import type { EntityManager } from 'typeorm';
import type {
  AttemptRecord,
  ClaimedDelivery,
  DeliveryRow,
  DisabledEndpoint,
  DueDelivery,
  EventToDeliver,
  NewSubscription,
  SubscriptionRow,
} from './webhooks.types.js';

const SUBSCRIPTION_COLUMNS = `s.id, s.url, s.events, s.organisation_ids AS "organisationIds", s.format,
  s.secret_sealed AS "secretSealed", s.previous_secret_sealed AS "previousSecretSealed",
  s.previous_secret_until AS "previousSecretUntil", s.owner_id AS "ownerId", u.email AS "ownerEmail",
  s.failing_since AS "failingSince", s.disabled_at AS "disabledAt", s.disabled_reason AS "disabledReason",
  s.created_at AS "createdAt"`;

/** A planned or due delivery as DueDelivery names it. */
const DUE_COLUMNS = `id, attempts, next_attempt_at AS "nextAttemptAt"`;

export class WebhooksRepository {
  constructor(private readonly db: EntityManager) {}

  async insertSubscription(input: NewSubscription): Promise<string> {
    const [row]: { id: string }[] = await this.db.query(
      `INSERT INTO webhook_subscriptions (url, events, organisation_ids, format, secret_sealed, owner_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
      [
        input.url,
        JSON.stringify(input.events),
        input.organisationIds === null ? null : JSON.stringify(input.organisationIds),
        input.format,
        input.secretSealed,
        input.ownerId,
        input.now,
      ],
    );
    return row.id;
  }

  /** Live subscriptions (not deleted), newest first; only `ownerId`'s when given. */
  listSubscriptions(ownerId: string | null): Promise<SubscriptionRow[]> {
    return this.db.query(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s JOIN users u ON u.id = s.owner_id
        WHERE s.deleted_at IS NULL AND ($1::uuid IS NULL OR s.owner_id = $1) ORDER BY s.created_at DESC, s.id LIMIT 500`,
      [ownerId],
    );
  }

  async findSubscription(id: string, lock = false): Promise<SubscriptionRow | null> {
    const [row]: SubscriptionRow[] = await this.db.query(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions s JOIN users u ON u.id = s.owner_id
        WHERE s.id = $1 AND s.deleted_at IS NULL ${lock ? 'FOR UPDATE OF s' : ''}`,
      [id],
    );
    return row ?? null;
  }

  /** Deletes (keeps the row for the deliveries' history) and cancels what was still to go. */
  async deleteSubscription(id: string, now: Date): Promise<void> {
    await this.db.query(`UPDATE webhook_subscriptions SET deleted_at = $2, updated_at = $2 WHERE id = $1`, [id, now]);
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'cancelled', last_error = 'the subscription was deleted', updated_at = $2
        WHERE subscription_id = $1 AND status = 'scheduled'`,
      [id, now],
    );
  }

  async rotateSecret(id: string, sealed: string, previousUntil: Date, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE webhook_subscriptions SET previous_secret_sealed = secret_sealed, previous_secret_until = $3, secret_sealed = $2, updated_at = $4 WHERE id = $1`,
      [id, sealed, previousUntil, now],
    );
  }

  /** Turns a disabled endpoint back on, its failure clock reset. */
  async enable(id: string, now: Date): Promise<void> {
    await this.db.query(
      `UPDATE webhook_subscriptions SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, updated_at = $2 WHERE id = $1`,
      [id, now],
    );
  }

  /**
   * One delivery per live, enabled subscription that wants `event` (its type, and its force when the
   * subscription names forces), in the caller's transaction. A key already planned for a subscription is left alone.
   */
  async plan(events: readonly EventToDeliver[], now: Date): Promise<DueDelivery[]> {
    if (events.length === 0) return [];
    return this.db.query(
      `INSERT INTO webhook_deliveries (subscription_id, event_key, event_type, organisation_id, payload, next_attempt_at, retry_from, created_at)
       SELECT s.id, e.key, e.type, e.organisation_id, e.payload, $2, $2, $2
         FROM jsonb_to_recordset($1::jsonb) AS e(type text, key text, organisation_id uuid, payload jsonb)
         JOIN webhook_subscriptions s
           ON s.deleted_at IS NULL AND s.disabled_at IS NULL AND jsonb_exists(s.events, e.type)
          AND (s.organisation_ids IS NULL OR jsonb_exists(s.organisation_ids, e.organisation_id::text))
       ON CONFLICT (subscription_id, event_key) DO NOTHING
       RETURNING ${DUE_COLUMNS}`,
      [
        JSON.stringify(
          events.map((e) => ({ type: e.type, key: e.key, organisation_id: e.organisationId, payload: e.payload })),
        ),
        now,
      ],
    );
  }

  /**
   * Takes due deliveries for one attempt each (scheduled → sending), in one statement; returns those taken
   * (not due, gone, or taken by another worker: left out). Rows are locked in id order and a row another
   * claim holds is skipped, so claims from several workers never wait on or deadlock with each other.
   */
  claimMany(ids: readonly string[], now: Date): Promise<ClaimedDelivery[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.query(
      `WITH due AS (
         SELECT id FROM webhook_deliveries WHERE id = ANY($1::uuid[]) AND status = 'scheduled' AND next_attempt_at <= $2
          ORDER BY id FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE webhook_deliveries d SET status = 'sending', claimed_at = $2, attempts = d.attempts + 1, updated_at = $2
           FROM due WHERE d.id = due.id
          RETURNING d.*)
       SELECT c.id, c.subscription_id AS "subscriptionId", c.event_type AS "eventType", c.payload, c.attempts,
              c.created_at AS "createdAt", c.retry_from AS "retryFrom", s.url, s.format, s.secret_sealed AS "secretSealed",
              s.previous_secret_sealed AS "previousSecretSealed", s.previous_secret_until AS "previousSecretUntil",
              s.failing_since AS "failingSince"
         FROM claimed c JOIN webhook_subscriptions s ON s.id = c.subscription_id`,
      [ids, now],
    );
  }

  /**
   * Records attempts and moves each delivery on (delivered, scheduled again at its `retryAt`, or failed), and
   * stops the failure clock of the endpoints in `healthy`: one statement however many attempts.
   */
  async recordAttempts(
    attempts: readonly (AttemptRecord & { retryAt: Date | null })[],
    healthy: readonly string[],
    now: Date,
  ): Promise<void> {
    if (attempts.length === 0) return;
    const rows = attempts.map((a) => ({
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      started_at: a.startedAt,
      duration_ms: a.durationMs,
      status_code: a.statusCode,
      outcome: a.outcome,
      error: a.error,
      retry_at: a.retryAt,
    }));
    await this.db.query(
      `WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(delivery_id uuid, attempt int, started_at timestamptz, duration_ms int,
                                                         status_code int, outcome text, error text, retry_at timestamptz)),
       attempts AS (
         INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, outcome, error)
         SELECT delivery_id, attempt, started_at, duration_ms, status_code, outcome, error FROM r),
       deliveries AS (
         UPDATE webhook_deliveries d SET status = CASE WHEN r.outcome = 'retry' THEN 'scheduled' ELSE r.outcome END,
                next_attempt_at = COALESCE(r.retry_at, d.next_attempt_at), claimed_at = NULL,
                delivered_at = CASE WHEN r.outcome = 'delivered' THEN $2::timestamptz ELSE d.delivered_at END,
                last_status_code = r.status_code, last_error = r.error, updated_at = $2
           FROM r WHERE d.id = r.delivery_id AND d.status = 'sending'),
       healthy AS (SELECT id FROM webhook_subscriptions WHERE id = ANY($3::uuid[]) AND failing_since IS NOT NULL ORDER BY id FOR UPDATE)
       UPDATE webhook_subscriptions s SET failing_since = NULL FROM healthy WHERE s.id = healthy.id`,
      [JSON.stringify(rows), now, healthy],
    );
  }

  /** Locks endpoints' rows in one order (id), so transactions that change several never deadlock. */
  async lockSubscriptions(ids: readonly string[]): Promise<void> {
    await this.db.query(`SELECT id FROM webhook_subscriptions WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
      ids,
    ]);
  }

  /** The endpoint failed: returns since when it has been failing without a success between. */
  async markFailing(subscriptionId: string, now: Date): Promise<Date> {
    const [row]: { failingSince: Date }[] = await this.db.query(
      `WITH u AS (UPDATE webhook_subscriptions SET failing_since = COALESCE(failing_since, $2) WHERE id = $1
        RETURNING failing_since AS "failingSince") SELECT * FROM u`,
      [subscriptionId, now],
    );
    return row.failingSince;
  }

  /** Disables the endpoint once (null if it already was) and fails what was still to go; returns the owner to tell. */
  async disable(subscriptionId: string, reason: string, now: Date): Promise<DisabledEndpoint | null> {
    const [row]: DisabledEndpoint[] = await this.db.query(
      `WITH u AS (UPDATE webhook_subscriptions s SET disabled_at = $3, disabled_reason = $2, updated_at = $3 FROM users o
        WHERE s.id = $1 AND s.disabled_at IS NULL AND o.id = s.owner_id
        RETURNING o.email AS "ownerEmail", o.name AS "ownerName", s.url) SELECT * FROM u`,
      [subscriptionId, reason, now],
    );
    if (!row) return null;
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'failed', last_error = 'the endpoint was disabled', updated_at = $2
        WHERE subscription_id = $1 AND status = 'scheduled'`,
      [subscriptionId, now],
    );
    return row;
  }

  /** A subscription's latest deliveries with their attempts, newest first. */
  deliveries(subscriptionId: string, limit: number): Promise<DeliveryRow[]> {
    return this.db.query(
      `SELECT d.id, d.event_type AS "eventType", d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt",
              d.delivered_at AS "deliveredAt", d.last_status_code AS "lastStatusCode", d.last_error AS "lastError",
              d.created_at AS "createdAt",
              COALESCE((SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'startedAt', a.started_at, 'durationMs', a.duration_ms,
                                                            'statusCode', a.status_code, 'outcome', a.outcome, 'error', a.error) ORDER BY a.attempt)
                          FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::jsonb) AS "attemptList"
         FROM webhook_deliveries d WHERE d.subscription_id = $1 ORDER BY d.created_at DESC, d.id LIMIT $2`,
      [subscriptionId, limit],
    );
  }

  /**
   * "Send again": a finished delivery is scheduled now, under the same webhook-id; null if it is not this
   * subscription's or still under way.
   */
  async resend(subscriptionId: string, deliveryId: string, now: Date): Promise<DueDelivery | null> {
    const [row]: DueDelivery[] = await this.db.query(
      `WITH u AS (UPDATE webhook_deliveries SET status = 'scheduled', next_attempt_at = $3, retry_from = $3, updated_at = $3
        WHERE id = $2 AND subscription_id = $1 AND status IN ('delivered', 'failed', 'cancelled')
        RETURNING ${DUE_COLUMNS}) SELECT * FROM u`,
      [subscriptionId, deliveryId, now],
    );
    return row ?? null;
  }

  /** Scheduled deliveries due before `until` (the reconciler makes sure each has its job). */
  waiting(until: Date, limit: number): Promise<DueDelivery[]> {
    return this.db.query(
      `SELECT ${DUE_COLUMNS} FROM webhook_deliveries WHERE status = 'scheduled' AND next_attempt_at < $1 ORDER BY next_attempt_at LIMIT $2`,
      [until, limit],
    );
  }

  /** Claims held longer than `leaseMs` (a worker that stopped mid-send) go back to scheduled, due at once. */
  async releaseExpiredClaims(now: Date, leaseMs: number): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `WITH u AS (UPDATE webhook_deliveries SET status = 'scheduled', claimed_at = NULL, next_attempt_at = $1, last_error = 'lease expired: the worker sending this stopped', updated_at = $1
        WHERE status = 'sending' AND claimed_at < $1::timestamptz - make_interval(secs => $2::double precision / 1000) RETURNING id) SELECT * FROM u`,
      [now, leaseMs],
    );
    return rows.length;
  }

  /** For /metrics: deliveries per status, and how long the oldest due one has waited. */
  async ledgerFigures(
    now: Date,
  ): Promise<{ byStatus: Record<string, number>; oldestDueSeconds: number; disabledEndpoints: number }> {
    const rows: { status: string; n: string }[] = await this.db.query(
      `SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status`,
    );
    const [due]: { age: number | null }[] = await this.db.query(
      `SELECT EXTRACT(EPOCH FROM ($1::timestamptz - min(next_attempt_at)))::float8 AS age FROM webhook_deliveries WHERE status = 'scheduled' AND next_attempt_at <= $1`,
      [now],
    );
    const [disabled]: { n: string }[] = await this.db.query(
      `SELECT count(*) AS n FROM webhook_subscriptions WHERE deleted_at IS NULL AND disabled_at IS NOT NULL`,
    );
    return {
      byStatus: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
      oldestDueSeconds: Math.max(0, due?.age ?? 0),
      disabledEndpoints: Number(disabled.n),
    };
  }
}
