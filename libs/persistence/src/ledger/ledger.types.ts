// The notification ledger's row and input shapes: what LedgerRepository takes and returns.
import type { EntityManager } from 'typeorm';
import type { DeadlineType, LedgerMove, NotificationKind, PlannedNotification } from '#domain';

/** The EntityManager of a Store: the pool's, or a transaction's. */
export type LedgerDb = Pick<EntityManager, 'query'>;

/** A ledger row as the claim returns it. */
export interface ClaimedLedgerRow {
  id: string;
  recommendation_id: string | null;
  /** Null only for a weekly summary of every organisation. */
  organisation_id: string | null;
  deadline_type: DeadlineType;
  deadline_at: Date;
  kind: NotificationKind;
  offset_key: string;
  recipient_id: string;
  recipient_email: string;
  attempts: number;
  send_at: Date;
  batch_key: string;
  message_id: string;
  recipient_name: string | null;
}

/** A row to plan, with the recommendation's place (null for a summary, which is about no one recommendation). */
export interface RowToPlan extends Omit<PlannedNotification, 'recommendationId'> {
  recommendationId: string | null;
  inspectionId: string | null;
  organisationId: string | null;
}

/** A planned or moved row's batch, for the caller to schedule after commit. */
export interface PlannedBatchRow {
  batch_key: string;
  send_at: Date;
}

export interface Refusal {
  id: string;
  move: typeof LedgerMove.RetryLater | typeof LedgerMove.Fail;
  error: string;
  retryAt: Date | null;
}
