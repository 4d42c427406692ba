// The webhook tables: subscriptions, the delivery ledger (one row per event and endpoint) and attempts; SQL lives in
// webhooks.repository.ts.
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

@Entity({ name: 'webhook_subscriptions' })
@Check('ck_webhook_subscriptions_format', `format IN ('standard', 'teams', 'slack')`)
@Index('ix_webhook_subscriptions_created_at_live', ['createdAt'], { where: 'deleted_at IS NULL' })
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_subscriptions' }) id: string;
  @Column('text') url: string;
  /** The event types wanted, a JSON array of strings. */
  @Column('jsonb') events: string[];
  /** The forces wanted, a JSON array of ids; null for every force. */
  @Column('jsonb', { name: 'organisation_ids', nullable: true }) organisationIds: string[] | null;
  @Column('text', { default: 'standard' }) format: string;
  /** The signing secret, sealed (see WebhookSecretBox); never stored in clear. */
  @Column('text', { name: 'secret_sealed' }) secretSealed: string;
  @Column('text', { name: 'previous_secret_sealed', nullable: true }) previousSecretSealed: string | null;
  @Column('timestamptz', { name: 'previous_secret_until', nullable: true }) previousSecretUntil: Date | null;
  @Column('uuid', { name: 'owner_id' }) ownerId: string;
  @Column('timestamptz', { name: 'failing_since', nullable: true }) failingSince: Date | null;
  @Column('timestamptz', { name: 'disabled_at', nullable: true }) disabledAt: Date | null;
  @Column('text', { name: 'disabled_reason', nullable: true }) disabledReason: string | null;
  @Column('timestamptz', { name: 'deleted_at', nullable: true }) deletedAt: Date | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

@Entity({ name: 'webhook_deliveries' })
@Unique('uq_webhook_deliveries_subscription_id_event_key', ['subscriptionId', 'eventKey'])
@Check('ck_webhook_deliveries_status', `status IN ('scheduled', 'sending', 'delivered', 'failed', 'cancelled')`)
@Check('ck_webhook_deliveries_attempts', 'attempts >= 0')
@Index('ix_webhook_deliveries_next_attempt_at_waiting', ['nextAttemptAt'], {
  where: `status IN ('scheduled', 'sending')`,
})
@Index('ix_webhook_deliveries_subscription_id_created_at', ['subscriptionId', 'createdAt'])
export class WebhookDeliveryEntity {
  /** Also the `webhook-id` header, the same on every attempt. */
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_deliveries' }) id: string;
  @Column('uuid', { name: 'subscription_id' }) subscriptionId: string;
  @Column('text', { name: 'event_key' }) eventKey: string;
  @Column('text', { name: 'event_type' }) eventType: string;
  @Column('uuid', { name: 'organisation_id', nullable: true }) organisationId: string | null;
  /** The standard body `{ type, timestamp, data }`, fixed when planned. */
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('text', { default: 'scheduled' }) status: string;
  @Column('integer', { default: 0 }) attempts: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt: Date;
  @Column('timestamptz', { name: 'retry_from' }) retryFrom: Date;
  @Column('timestamptz', { name: 'claimed_at', nullable: true }) claimedAt: Date | null;
  @Column('timestamptz', { name: 'delivered_at', nullable: true }) deliveredAt: Date | null;
  @Column('integer', { name: 'last_status_code', nullable: true }) lastStatusCode: number | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

@Entity({ name: 'webhook_attempts' })
@Check('ck_webhook_attempts_outcome', `outcome IN ('delivered', 'retry', 'failed')`)
@Index('ix_webhook_attempts_delivery_id_attempt', ['deliveryId', 'attempt'])
export class WebhookAttemptEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_webhook_attempts' }) id: string;
  @Column('uuid', { name: 'delivery_id' }) deliveryId: string;
  @Column('integer') attempt: number;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('integer', { name: 'duration_ms' }) durationMs: number;
  @Column('integer', { name: 'status_code', nullable: true }) statusCode: number | null;
  @Column('text') outcome: string;
  @Column('text', { nullable: true }) error: string | null;
}
