// Dispatch, stage 6: what a round's outcomes set going: the next rung of an escalation ladder, the next stale nudge,
// the jobs of retries.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { NOTIFICATION_SCHEDULER, NotificationPlanner } from '#application';
import type { BatchToSchedule, NotificationScheduler } from '#application';
import { DeadlineType, NOTIFICATION_KINDS, nextEscalation, nextStaleNudge, slotOf } from '#domain';
import type { PlannedNotification } from '#domain';
import { Storage, type Store } from '#persistence';
import type { ClaimedRow, Prepared, RecommendationRow } from './dispatch-rows.js';

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
  async cancelGoneEvents(rows: readonly ClaimedRow[], recs: readonly RecommendationRow[], now: Date): Promise<void> {
    const reminders = rows.filter(
      (r) => NOTIFICATION_KINDS[r.kind].email.calendar === 'publish' && r.recommendation_id,
    );
    if (reminders.length === 0) return;
    const inspectionOf = new Map(recs.map((r) => [r.id, r.inspection_id]));
    const dueDates = [
      ...new Set(reminders.filter((r) => r.deadline_type === DeadlineType.DueDate).map((r) => r.recommendation_id!)),
    ];
    const plans = [
      ...new Set(
        reminders
          .filter((r) => r.deadline_type === DeadlineType.ActionPlan)
          .map((r) => inspectionOf.get(r.recommendation_id!))
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
      retries.map((retry) => ({ sendAt: slotOf(retry, this.planner.settings.digestWindowMs) })),
    );
  }

  /** After a "no recent progress" nudge, the next period's, to liaison officers who still belong to the force. */
  private async planNextStaleNudges(
    tx: Store,
    rows: ClaimedRow[],
    recs: RecommendationRow[],
    now: Date,
  ): Promise<BatchToSchedule[]> {
    const staleAfter = this.planner.settings.staleAfter;
    const nudges = rows.filter(
      (r) => NOTIFICATION_KINDS[r.kind].afterSent.next === 'stale_period' && r.recommendation_id,
    );
    if (nudges.length === 0 || !staleAfter) return [];
    const recById = new Map(recs.map((r) => [r.id, r]));
    const planned: PlannedNotification[] = [];
    for (const row of nudges) {
      const rec = recById.get(row.recommendation_id!);
      if (!rec?.progress_at) continue;
      const recipient = (await tx.recipients.liaisonsOf(rec.organisation_id)).find(
        (l) => l.userId === row.recipient_id,
      );
      if (!recipient) continue;
      const sent = { recommendationId: rec.id, progressAt: rec.progress_at, offsetKey: row.offset_key, recipient };
      planned.push(nextStaleNudge(sent, { ...this.planner.settings, staleAfter }, now));
    }
    const recMap = new Map(
      recs.map((r) => [r.id, { inspectionId: r.inspection_id, organisationId: r.organisation_id }]),
    );
    return this.planner.insert(tx, planned, recMap);
  }

  private async planNextEscalations(
    tx: Store,
    rows: ClaimedRow[],
    recs: RecommendationRow[],
    now: Date,
  ): Promise<BatchToSchedule[]> {
    const escalations = rows.filter(
      (r) => NOTIFICATION_KINDS[r.kind].afterSent.next === 'escalation_step' && r.recommendation_id,
    );
    if (escalations.length === 0) return [];
    const recById = new Map(recs.map((r) => [r.id, r]));
    const planned: PlannedNotification[] = [];
    const audiences = new Map<string, Set<string>>();
    for (const row of escalations) {
      const rec = recById.get(row.recommendation_id!);
      if (!rec) continue;
      let managers = audiences.get(rec.organisation_id);
      if (!managers) {
        managers = new Set((await tx.recipients.managersWhoSee(rec.organisation_id)).map((m) => m.userId));
        audiences.set(rec.organisation_id, managers);
      }
      // A manager who no longer sees the force is not escalated to again.
      if (!managers.has(row.recipient_id)) continue;
      const sent = {
        recommendationId: rec.id,
        deadlineType: row.deadline_type,
        deadlineAt: row.deadline_at,
        offsetKey: row.offset_key,
        recipientId: row.recipient_id,
        recipientEmail: row.recipient_email,
      };
      planned.push(nextEscalation(sent, this.planner.settings, now));
    }
    const recMap = new Map(
      recs.map((r) => [r.id, { inspectionId: r.inspection_id, organisationId: r.organisation_id }]),
    );
    return this.planner.insert(tx, planned, recMap);
  }
}
