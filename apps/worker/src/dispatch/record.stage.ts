// Dispatch, stage 5: write a round's outcomes back to the ledger in a few statements, what went out first.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { NotificationKind, NotificationStatus } from '#domain';
import { Storage, type LedgerRepository } from '#persistence';
import type { Outcome, RefusedOutcome, DeliveredOutcome } from './dispatch-rows.js';
import { FollowUpsStage } from './follow-ups.stage.js';
import { refusalOf } from './retry-policy.js';

const logger = new Logger('DispatchRecord');

@Injectable()
export class RecordStage {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: Storage,
    private readonly followUps: FollowUpsStage,
  ) {}

  /** If this fails the rows stay `sending`, and after the lease they go out once more under the same Message-IDs. */
  async record(outcomes: Outcome[], now: Date): Promise<void> {
    const ledger = this.storage.pool.ledger;
    const sent = outcomes.filter((o): o is DeliveredOutcome => o.result === 'delivered');
    // Escalations and stale nudges plan their next step when one is recorded as sent.
    const escalating = sent.filter((o) => o.prepared.rows.some((r) => r.kind === NotificationKind.Escalation || r.kind === NotificationKind.Stale));
    await ledger.markSent(sent.filter((o) => !escalating.includes(o)).flatMap((o) => o.prepared.rows.map((r) => r.id)));
    for (const outcome of escalating) await this.followUps.recordEscalation(outcome.prepared, outcome.messageId, now);
    await ledger.cancelStale(
      outcomes.flatMap((o) => (o.result === 'delivered' ? o.prepared.stale : o.stale)),
      [NotificationStatus.Sending],
    );
    await this.recordRefusals(
      ledger,
      outcomes.filter((o): o is RefusedOutcome => o.result === 'refused'),
      now,
    );
  }

  private async recordRefusals(ledger: LedgerRepository, refused: RefusedOutcome[], now: Date): Promise<void> {
    if (refused.length === 0) return;
    const policy = { attempts: this.config.env.JOB_ATTEMPTS, backoffMs: this.config.env.JOB_BACKOFF_MS };
    const decided = refused.flatMap(({ rows, err, permanent, messageId }) => {
      if (permanent) logger.warn({ err, messageId, rows: rows.length }, 'the SMTP server refused the message for good: recorded as failed');
      else logger.warn({ err, messageId, rows: rows.length }, 'delivery failed for now; it will be retried');
      return rows.map((row) => ({ row, refusal: refusalOf(row, err, permanent, now, policy) }));
    });
    await ledger.recordRefusals(decided.map((d) => d.refusal));
    await this.followUps.scheduleRetries(decided.flatMap(({ row, refusal }) => (refusal.retryAt ? [{ sendAt: row.send_at, retryAt: refusal.retryAt }] : [])));
  }
}
