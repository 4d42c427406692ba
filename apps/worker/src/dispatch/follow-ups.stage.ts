// Dispatch, stage 6: what a round's outcomes set going: the next rung of an escalation ladder, the next stale nudge,
// the jobs of retries.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { NOTIFICATION_SCHEDULER, NotificationPlanner } from '#application';
import type { BatchToSchedule, NotificationScheduler } from '#application';
import { DeadlineType, NOTIFICATION_KINDS, nextEscalation, nextStaleNudge, slotOf } from '#domain';
import type { PlannedNotification } from '#domain';
import { Storage, type Repositories, type ClaimedLedgerRow, type DispatchRecommendation } from '#persistence';
import type { Prepared } from './dispatch-rows.js';

@Injectable()
export class FollowUpsStage {
  private readonly logger = new Logger('DispatchFollowUps');

  constructor(
    private readonly storage: Storage,
    private readonly planner: NotificationPlanner,
    @Inject(NOTIFICATION_SCHEDULER) private readonly scheduler: NotificationScheduler,
  ) {}

  /** Records an escalation's delivery and plans the next rung of the ladder in the same transaction. */
  async recordEscalation({ rows, recommendations }: Prepared, messageId: string, now: Date): Promise<void> {
    const ids = rows.map((r) => r.id);
    let batches: BatchToSchedule[] = [];
    try {
      batches = await this.storage.transaction(async (tx) => {
        await tx.ledger.markSent(ids);
        return [
          ...(await this.planNextEscalations(tx, rows, recommendations, now)),
          ...(await this.planNextStaleNudges(tx, rows, recommendations, now)),
        ];
      });
    } catch (err) {
      // The email is out: recording that matters more than the next escalation.
      this.logger.error({ err, messageId }, 'could not plan the next escalation; recording the delivery alone');
      await this.storage.pool.ledger.markSent(ids);
    }
    await this.scheduler.addSlotJobs(batches);
  }

  /**
   * After reminders are recorded as sent: if an event one carried went away meanwhile (its recommendation closed, or
   * the inspection's last plan submitted, after the reminder was composed), the change's own planning could not see the
   * reminder as sent, so the cancellation is planned here (the same row either way: sent once). A failure is logged:
   * the next change to those recommendations plans it again.
   */
  async cancelGoneEvents(
    rows: readonly ClaimedLedgerRow[],
    recs: readonly DispatchRecommendation[],
    now: Date,
  ): Promise<void> {
    const reminders = rows.filter((r) => NOTIFICATION_KINDS[r.kind].email.calendar === 'publish' && r.recommendationId);
    if (reminders.length === 0) return;
    const inspectionOf = new Map(recs.map((r) => [r.id, r.inspectionId]));
    const dueDates = [
      ...new Set(reminders.filter((r) => r.deadlineType === DeadlineType.DueDate).map((r) => r.recommendationId!)),
    ];
    const plans = [
      ...new Set(
        reminders
          .filter((r) => r.deadlineType === DeadlineType.ActionPlan)
          .map((r) => inspectionOf.get(r.recommendationId!))
          .filter((id): id is string => !!id),
      ),
    ];
    try {
      const batches = await this.storage.transaction((tx) =>
        this.planner.planCalendarCancelsFor(tx, dueDates, plans, now),
      );
      await this.scheduler.addSlotJobs(batches);
    } catch (err) {
      this.logger.error({ err }, 'could not check whether the events of sent reminders went away meanwhile');
    }
  }

  /** The jobs that will try refused rows again: each row's slot (slotOf), now that it has a retry_at. */
  async scheduleRetries(retries: readonly { sendAt: Date; retryAt: Date }[]): Promise<void> {
    await this.scheduler.addSlotJobs(
      retries.map((retry) => ({ slot: slotOf(retry, this.planner.settings.digestWindowMs) })),
    );
  }

  /** After a "no recent progress" nudge, the next period's, to liaison officers who still belong to the force. */
  private async planNextStaleNudges(
    tx: Repositories,
    rows: ClaimedLedgerRow[],
    recs: DispatchRecommendation[],
    now: Date,
  ): Promise<BatchToSchedule[]> {
    const staleAfter = this.planner.settings.staleAfter;
    const nudges = rows.filter(
      (r) => NOTIFICATION_KINDS[r.kind].afterSent.next === 'stale_period' && r.recommendationId,
    );
    if (nudges.length === 0 || !staleAfter) return [];
    const recById = new Map(recs.map((r) => [r.id, r]));
    const planned: PlannedNotification[] = [];
    for (const row of nudges) {
      const rec = recById.get(row.recommendationId!);
      if (!rec?.progressAt) continue;
      const recipient = (await tx.recipients.liaisonsOf(rec.organisationId)).find((l) => l.userId === row.recipientId);
      if (!recipient) continue;
      const sent = { recommendationId: rec.id, progressAt: rec.progressAt, offsetKey: row.offsetKey, recipient };
      planned.push(nextStaleNudge(sent, { ...this.planner.settings, staleAfter }, now));
    }
    const recMap = new Map(recs.map((r) => [r.id, { inspectionId: r.inspectionId, organisationId: r.organisationId }]));
    return this.planner.insert(tx, planned, recMap);
  }

  private async planNextEscalations(
    tx: Repositories,
    rows: ClaimedLedgerRow[],
    recs: DispatchRecommendation[],
    now: Date,
  ): Promise<BatchToSchedule[]> {
    const escalations = rows.filter(
      (r) => NOTIFICATION_KINDS[r.kind].afterSent.next === 'escalation_step' && r.recommendationId,
    );
    if (escalations.length === 0) return [];
    const recById = new Map(recs.map((r) => [r.id, r]));
    const planned: PlannedNotification[] = [];
    const audiences = new Map<string, Set<string>>();
    for (const row of escalations) {
      const rec = recById.get(row.recommendationId!);
      if (!rec) continue;
      let managers = audiences.get(rec.organisationId);
      if (!managers) {
        managers = new Set((await tx.recipients.managersWhoSee(rec.organisationId)).map((m) => m.userId));
        audiences.set(rec.organisationId, managers);
      }
      // A manager who no longer sees the force is not escalated to again.
      if (!managers.has(row.recipientId)) continue;
      const sent = {
        recommendationId: rec.id,
        deadlineType: row.deadlineType,
        deadlineAt: row.deadlineAt,
        offsetKey: row.offsetKey,
        recipientId: row.recipientId,
        recipientEmail: row.recipientEmail,
      };
      planned.push(nextEscalation(sent, this.planner.settings, now));
    }
    const recMap = new Map(recs.map((r) => [r.id, { inspectionId: r.inspectionId, organisationId: r.organisationId }]));
    return this.planner.insert(tx, planned, recMap);
  }
}
