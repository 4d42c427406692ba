// The row and input shapes of WebhooksRepository: subscriptions, deliveries to plan or claim, and attempts.

export interface SubscriptionRow {
  id: string;
  url: string;
  events: string[];
  organisation_ids: string[] | null;
  format: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: Date | null;
  owner_id: string;
  owner_email: string;
  failing_since: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
}

export interface NewSubscription {
  url: string;
  events: readonly string[];
  organisationIds: readonly string[] | null;
  format: string;
  secretSealed: string;
  ownerId: string;
  now: Date;
}

export interface EventToDeliver {
  type: string;
  key: string;
  organisationId: string | null;
  payload: unknown;
}

/** A delivery planned now or made due again: what its job needs to be added. */
export interface DueDelivery {
  id: string;
  attempts: number;
  next_attempt_at: Date;
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  subscription_id: string;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
  /** Retries stop WEBHOOK_RETRY_FOR after this: when it was planned, or last sent again by hand. */
  retry_from: Date;
  url: string;
  format: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: Date | null;
  failing_since: Date | null;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  outcome: 'delivered' | 'retry' | 'failed';
  error: string | null;
}

export interface DeliveryRow {
  id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  delivered_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  attempt_list: {
    attempt: number;
    startedAt: string;
    durationMs: number;
    statusCode: number | null;
    outcome: string;
    error: string | null;
  }[];
}
