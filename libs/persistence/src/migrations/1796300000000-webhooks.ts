// Migration: webhook subscriptions, the webhook delivery ledger (one row per event and endpoint) and each delivery's
// attempts.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `webhook_subscriptions` holds each endpoint with its signing secret sealed (AES-256-GCM under a key
 * derived from AUDIT_KEY; see docs/webhooks.md), and the previous secret until its overlap ends.
 * `webhook_deliveries` is the delivery ledger: one row per (subscription, event), planned in the
 * transaction that made the change; `webhook_attempts` records each try for the subscription's page.
 */
export class Webhooks1796300000000 implements MigrationInterface {
  name = 'Webhooks1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events jsonb NOT NULL,
        organisation_ids jsonb,
        format text NOT NULL DEFAULT 'standard',
        secret_sealed text NOT NULL,
        previous_secret_sealed text,
        previous_secret_until timestamptz,
        owner_id uuid NOT NULL,
        failing_since timestamptz,
        disabled_at timestamptz,
        disabled_reason text,
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_webhook_subscriptions PRIMARY KEY (id),
        CONSTRAINT fk_webhook_subscriptions_owner_id FOREIGN KEY (owner_id) REFERENCES users(id),
        CONSTRAINT ck_webhook_subscriptions_format CHECK (format IN ('standard', 'teams', 'slack'))
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_subscriptions_created_at_live ON webhook_subscriptions (created_at) WHERE deleted_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL,
        event_key text NOT NULL,
        event_type text NOT NULL,
        organisation_id uuid,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'scheduled',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        retry_from timestamptz NOT NULL,
        claimed_at timestamptz,
        delivered_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id),
        CONSTRAINT fk_webhook_deliveries_subscription_id FOREIGN KEY (subscription_id) REFERENCES webhook_subscriptions(id),
        CONSTRAINT uq_webhook_deliveries_subscription_id_event_key UNIQUE (subscription_id, event_key),
        CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('scheduled', 'sending', 'delivered', 'failed', 'cancelled')),
        CONSTRAINT ck_webhook_deliveries_attempts CHECK (attempts >= 0)
      )`);
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_next_attempt_at_waiting ON webhook_deliveries (next_attempt_at) WHERE status IN ('scheduled', 'sending')`,
    );
    await q.query(
      `CREATE INDEX ix_webhook_deliveries_subscription_id_created_at ON webhook_deliveries (subscription_id, created_at)`,
    );
    await q.query(`
      CREATE TABLE webhook_attempts (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL,
        attempt integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        outcome text NOT NULL,
        error text,
        CONSTRAINT pk_webhook_attempts PRIMARY KEY (id),
        CONSTRAINT fk_webhook_attempts_delivery_id FOREIGN KEY (delivery_id) REFERENCES webhook_deliveries(id),
        CONSTRAINT ck_webhook_attempts_outcome CHECK (outcome IN ('delivered', 'retry', 'failed'))
      )`);
    await q.query(`CREATE INDEX ix_webhook_attempts_delivery_id_attempt ON webhook_attempts (delivery_id, attempt)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_subscriptions`);
  }
}
