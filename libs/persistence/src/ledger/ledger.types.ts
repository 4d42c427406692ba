// The notification ledger's row and input shapes: what LedgerRepository takes and returns.
import type { EntityManager } from 'typeorm';
import type { DeadlineType, LedgerMove, NotificationKind, PlannedNotification } from '#domain';

/** The EntityManager of a `Repositories`: the pool's, or a transaction's. */
export type LedgerDb = Pick<EntityManager, 'query'>;

/** A ledger row as the claim returns it. */
export interface ClaimedLedgerRow {
  id: string;
  recommendationId: string | null;
  /** Null only for a weekly summary of every organisation. */
  organisationId: string | null;
  deadlineType: DeadlineType;
  deadlineAt: Date;
  kind: NotificationKind;
  offsetKey: string;
  recipientId: string;
  recipientEmail: string;
  attempts: number;
  sendAt: Date;
  batchKey: string;
  messageId: string;
  recipientName: string | null;
}

/** A row to plan, with the recommendation's place (null for a summary, which is about no one recommendation). */
export interface RowToPlan extends Omit<PlannedNotification, 'recommendationId'> {
  recommendationId: string | null;
  inspectionId: string | null;
  organisationId: string | null;
}

/** A planned or moved row's batch, for the caller to schedule after commit. */
export interface PlannedBatchRow {
  batchKey: string;
  sendAt: Date;
}

export interface Refusal {
  id: string;
  move: typeof LedgerMove.RetryLater | typeof LedgerMove.Fail;
  error: string;
  retryAt: Date | null;
}
