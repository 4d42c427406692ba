// The row and input shapes of WebhooksRepository: subscriptions, deliveries to plan or claim, and attempts.

export interface SubscriptionRow {
  id: string;
  url: string;
  events: string[];
  organisationIds: string[] | null;
  format: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretUntil: Date | null;
  ownerId: string;
  ownerEmail: string;
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
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
  nextAttemptAt: Date;
}

/** A claimed delivery with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
  /** Retries stop WEBHOOK_RETRY_FOR after this: when it was planned, or last sent again by hand. */
  retryFrom: Date;
  url: string;
  format: string;
  secretSealed: string;
  previousSecretSealed: string | null;
  previousSecretUntil: Date | null;
  failingSince: Date | null;
}

/** An endpoint just disabled, with the owner to tell. */
export interface DisabledEndpoint {
  ownerEmail: string;
  ownerName: string;
  url: string;
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
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  attemptList: {
    attempt: number;
    startedAt: string;
    durationMs: number;
    statusCode: number | null;
    outcome: string;
    error: string | null;
  }[];
}
