// Dispatch, stage 1: claim a round of due batches in one transaction, fixing each row's Message-ID.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, SENDING_ROUND_BATCHES, type AppConfig } from '#config';
import { batchMessageIdentity, batchWindowStart, lateJoinersMessageIdentity } from '#domain';
import { messageIdFor } from '#notifications';
import { Storage, type LedgerRepository, type ClaimedLedgerRow } from '#persistence';
import { JOB_QUEUE, JobName, QUEUES, addDrainJobs, type QueueMap } from '#scheduling';
import { groupBy } from './dispatch-rows.js';

/**
 * Batches claimed per round: enough that the claim and the bookkeeping cost little per email, few enough
 * that a crash leaves little to resend (under the same Message-IDs).
 */
export const CLAIM_BATCHES = SENDING_ROUND_BATCHES;
/** Due rows a claim looks at: room for the batches other drains hold locked at that moment. */
const CANDIDATE_ROWS = CLAIM_BATCHES * 4;

export interface ClaimedRound {
  batches: number;
  rows: ClaimedLedgerRow[];
}

/**
 * The claim is the only guard against doubles: whatever BullMQ does (duplicate jobs, stalls, retries), a
 * row is sent only by the worker that moved it to `sending`. Atomic per batch: of two workers after the
 * same batch, one gets its rows and the other nothing.
 */
@Injectable()
export class ClaimStage {
  private readonly logger = new Logger('DispatchClaim');

  constructor(
    private readonly storage: Storage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUES) private readonly queues: QueueMap,
  ) {}

  /**
   * The Message-ID is fixed here, before sending, and kept: a resend after a crash or a retry carries the
   * same one. A batch's first email takes the batch's id; rows that join after it went get an id of their
   * own, so no two different emails ever share one.
   */
  claim(slot: number, now: Date): Promise<ClaimedRound> {
    // Batches whose window closed by the slot, or by now for a drain that runs late; retries that are due.
    const windowsBefore = new Date(Math.max(slot, batchWindowStart(now, this.config.digestWindowMs).getTime()));
    const retriesBy = new Date(Math.max(slot, now.getTime()));
    return this.storage.transaction(async (tx) => {
      const batchKeys = await tx.ledger.lockDueBatches(windowsBefore, retriesBy, CLAIM_BATCHES, CANDIDATE_ROWS);
      if (batchKeys.length === 0) return { batches: 0, rows: [] };
      const rows = await tx.ledger.claim(
        batchKeys,
        batchKeys.map((key) => this.messageId(batchMessageIdentity(key))),
        retriesBy,
      );
      await this.nameLateJoiners(tx.ledger, rows);
      return { batches: batchKeys.length, rows };
    });
  }

  /** A burst (a full first round): the slot's other drains, and so the other workers, are asked to share it. */
  async shareBurst(slot: number): Promise<void> {
    const helpers = Array.from({ length: this.config.env.DISPATCH_DRAINS - 1 }, (_, i) => ({ slot, drain: i + 1 }));
    try {
      await addDrainJobs(this.queues[JOB_QUEUE[JobName.DispatchDue]], this.config, helpers);
    } catch (err) {
      this.logger.warn({ err, slot }, 'could not add helper drains; this one carries on alone');
    }
  }

  /** Rows that joined a batch after its first email went: one more email, under an id of its own. */
  private async nameLateJoiners(ledger: LedgerRepository, rows: ClaimedLedgerRow[]): Promise<void> {
    const ids: string[] = [];
    const messageIds: string[] = [];
    for (const late of groupBy(
      rows.filter((r) => r.messageId === null),
      (r) => r.batchKey,
    )) {
      const messageId = this.messageId(
        lateJoinersMessageIdentity(
          late[0].batchKey,
          late.map((r) => r.id),
        ),
      );
      for (const row of late) {
        row.messageId = messageId;
        ids.push(row.id);
        messageIds.push(messageId);
      }
    }
    await ledger.setMessageIds(ids, messageIds);
  }

  private messageId(identity: string): string {
    return messageIdFor(identity, this.config.env.MAIL_FROM);
  }
}
