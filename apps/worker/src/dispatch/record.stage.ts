// Dispatch, stage 5: write a round's outcomes back to the ledger in a few statements, what went out first.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { WebhookPlanner } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { NOTIFICATION_KINDS, NotificationStatus } from '#domain';
import { notificationsFailed, notificationsSent } from '#observability';
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
    private readonly webhooks: WebhookPlanner,
  ) {}

  /** If this fails the rows stay `sending`, and after the lease they go out once more under the same Message-IDs. */
  async record(outcomes: Outcome[], now: Date): Promise<void> {
    const ledger = this.storage.pool.ledger;
    const sent = outcomes.filter((o): o is DeliveredOutcome => o.result === 'delivered');
    // Escalations and stale nudges plan their next step when one is recorded as sent.
    const escalating = sent.filter((o) =>
      o.prepared.rows.some((r) => NOTIFICATION_KINDS[r.kind].afterSent.next !== null),
    );
    await ledger.markSent(sent.filter((o) => !escalating.includes(o)).flatMap((o) => o.prepared.rows.map((r) => r.id)));
    for (const outcome of escalating) await this.followUps.recordEscalation(outcome.prepared, outcome.messageId, now);
    await this.followUps.cancelGoneEvents(
      sent.flatMap((o) => o.prepared.rows),
      sent.flatMap((o) => o.prepared.recommendations),
      now,
    );
    for (const row of sent.flatMap((o) => o.prepared.rows)) notificationsSent.inc({ kind: row.kind });
    await this.webhookEvents(sent, now);
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

  /**
   * Deadlines passing and escalations are no change's: their webhook events go with the notice that told
   * people (the first overdue notice or escalation step sent for a recommendation and deadline; the
   * delivery's key makes every later notice of the same step a no-op). A failure here is logged, never
   * undoes the sending.
   */
  private async webhookEvents(sent: DeliveredOutcome[], now: Date): Promise<void> {
    const notices = sent.flatMap((o) =>
      o.prepared.rows
        .filter((r) => NOTIFICATION_KINDS[r.kind].afterSent.webhook !== null)
        .map((row) => ({ row, prepared: o.prepared })),
    );
    if (notices.length === 0) return;
    try {
      await this.webhooks.emitAndSchedule((events) => {
        for (const { row, prepared } of notices) {
          const rec = prepared.recommendations.find((r) => r.id === row.recommendationId);
          if (!rec) continue;
          const facts = {
            id: rec.id,
            reference: rec.reference,
            organisationId: rec.organisationId,
            inspectionId: rec.inspectionId,
            inspectionTitle: rec.inspectionTitle,
          };
          if (NOTIFICATION_KINDS[row.kind].afterSent.webhook === 'overdue')
            events.overdue(facts, row.deadlineType, row.deadlineAt);
          else events.escalated(facts, row.deadlineType, row.deadlineAt, row.offsetKey);
        }
      }, now);
    } catch (err) {
      logger.error({ err }, 'could not plan the webhook events of overdue notices and escalations');
    }
  }

  private async recordRefusals(ledger: LedgerRepository, refused: RefusedOutcome[], now: Date): Promise<void> {
    if (refused.length === 0) return;
    const policy = { attempts: this.config.env.JOB_ATTEMPTS, backoffMs: this.config.env.JOB_BACKOFF_MS };
    for (const row of refused.flatMap((o) => o.rows.map((r) => ({ kind: r.kind, permanent: String(o.permanent) }))))
      notificationsFailed.inc(row);
    const decided = refused.flatMap(({ rows, err, permanent, messageId }) => {
      if (permanent)
        logger.warn(
          { err, messageId, rows: rows.length },
          'the SMTP server refused the message for good: recorded as failed',
        );
      else logger.warn({ err, messageId, rows: rows.length }, 'delivery failed for now; it will be retried');
      return rows.map((row) => ({ row, refusal: refusalOf(row, err, permanent, now, policy) }));
    });
    await ledger.recordRefusals(decided.map((d) => d.refusal));
    await this.followUps.scheduleRetries(
      decided.flatMap(({ row, refusal }) =>
        refusal.retryAt ? [{ sendAt: row.sendAt, retryAt: refusal.retryAt }] : [],
      ),
    );
  }
}
