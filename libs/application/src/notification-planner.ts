// Keeps the notification ledger in step with recommendations and people, inside the caller's transaction.
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  NotificationKind,
  NotificationStatus,
  Role,
  escalationLadderKey,
  RecommendationStatus,
  dueDateEventGone,
  isStillDue,
  planCalendarCancels,
  planDecisionNotices,
  planRecommendationNotifications,
  planReviewNeeded,
  planStaleNudges,
  slotOf,
  type NotificationSettings,
  type PlannedNotification,
  type RecommendationAudience,
} from '#domain';
import type { PlannedBatchRow, RecommendationEntity, Repositories } from '#persistence';
import type { BatchToSchedule } from './tokens.js';

/** Recommendations re-planned per query when a person changes: bounded memory however large a force is. */
const REPLAN_CHUNK = 1000;

/** The batches of planned or moved rows, one entry each, due in its slot (when its window closes). */
export function batchesToSchedule(rows: readonly PlannedBatchRow[], digestWindowMs: number): BatchToSchedule[] {
  const sendAt = new Map(rows.map((r) => [r.batchKey, r.sendAt]));
  return [...sendAt].map(([batchKey, at]) => ({ batchKey, slot: slotOf({ sendAt: at }, digestWindowMs) }));
}

/**
 * Keeps the delivery ledger in step with recommendations. Runs inside the caller's transaction, so a
 * change and the notifications it causes or cancels commit together; returns the batches to schedule
 * once that transaction has committed.
 */
@Injectable()
export class NotificationPlanner {
  readonly settings: NotificationSettings;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.settings = {
      reminderOffsets: config.reminderOffsets,
      escalateAfter: config.env.ESCALATE_AFTER,
      escalateEvery: config.env.ESCALATE_EVERY,
      digestWindowMs: config.digestWindowMs,
      sendWindow: config.sendWindow,
      staleAfter: config.env.STALE_AFTER,
    };
  }

  /** Cancel what no longer applies to these recommendations, then plan what their deadlines now call for. */
  async syncRecommendations(
    tx: Repositories,
    recs: readonly RecommendationEntity[],
    leadInspectorId: string,
    now: Date,
  ): Promise<BatchToSchedule[]> {
    if (recs.length === 0) return [];
    await this.cancelStale(tx, recs, now);
    const audiences = new Map<string, RecommendationAudience>();
    const planned: PlannedNotification[] = [];
    for (const rec of recs) {
      let audience = audiences.get(rec.organisationId);
      if (!audience) {
        audience = await this.audienceFor(tx, rec.organisationId, leadInspectorId);
        audiences.set(rec.organisationId, audience);
      }
      planned.push(...planRecommendationNotifications(rec, audience, this.settings, now));
      planned.push(...planStaleNudges(rec, audience.liaisons, this.settings, now));
    }
    const toInsert = await this.withoutEscalationsUnderway(tx, planned);
    const batches = await this.insert(tx, toInsert, new Map(recs.map((r) => [r.id, r])));
    return [...batches, ...(await this.planCalendarCancels(tx, recs, now))];
  }

  /**
   * Calendar events these changes took away for good (a closed recommendation's due date; an inspection's action plan
   * once none of its recommendations is issued): a cancellation to each person a reminder carried the event to.
   */
  private async planCalendarCancels(
    tx: Repositories,
    recs: readonly RecommendationEntity[],
    now: Date,
  ): Promise<BatchToSchedule[]> {
    const closed = recs.filter((r) => dueDateEventGone(r.status)).map((r) => r.id);
    const inspections = [
      ...new Set(recs.filter((r) => r.status !== RecommendationStatus.Issued).map((r) => r.inspectionId)),
    ];
    return this.planCalendarCancelsFor(tx, closed, inspections, now);
  }

  /**
   * Cancellations for whichever of these recommendations' due dates and inspections' action plans are gone for good
   * (the query decides), to everyone a sent reminder carried them to. Also run by dispatch once reminders are
   * recorded as sent: an event that went away while its reminder was on its way to the SMTP server is cancelled too.
   */
  async planCalendarCancelsFor(
    tx: Repositories,
    recommendationIds: readonly string[],
    inspectionIds: readonly string[],
    now: Date,
  ): Promise<BatchToSchedule[]> {
    const sent = await tx.calendarCancels.goneEventsSent(recommendationIds, inspectionIds);
    if (sent.length === 0) return [];
    const planned = planCalendarCancels(sent, this.settings, now);
    const places = new Map(
      sent.map((s) => [s.recommendationId, { inspectionId: s.inspectionId, organisationId: s.organisationId }]),
    );
    return this.insert(tx, planned, places);
  }

  /**
   * Planning starts an escalation ladder at the step `now` has reached; a ladder already in the ledger
   * for that deadline and manager carries on by itself (each step sent plans the next). Leaving those
   * out keeps a change of ESCALATE_AFTER/ESCALATE_EVERY from starting a second ladder beside the first.
   */
  private async withoutEscalationsUnderway(
    tx: Repositories,
    planned: PlannedNotification[],
  ): Promise<PlannedNotification[]> {
    const escalations = planned.filter((p) => p.kind === NotificationKind.Escalation);
    if (escalations.length === 0) return planned;
    const ladders = await tx.ledger.escalationsUnderway([...new Set(escalations.map((p) => p.recommendationId))]);
    const underway = new Set(
      ladders.map((l) => escalationLadderKey(l.recommendationId, l.deadlineType, l.deadlineAt, l.recipientId)),
    );
    const known = new Set(ladders.map((l) => l.dedupKey));
    return planned.filter(
      (p) =>
        p.kind !== NotificationKind.Escalation ||
        known.has(p.dedupKey) ||
        !underway.has(escalationLadderKey(p.recommendationId, p.deadlineType, p.deadlineAt, p.recipientId)),
    );
  }

  async planReviewNeeded(
    tx: Repositories,
    rec: RecommendationEntity,
    leadInspectorId: string,
    now: Date,
  ): Promise<BatchToSchedule[]> {
    const lead = await tx.recipients.active(leadInspectorId);
    if (!lead) return [];
    return this.insert(tx, [planReviewNeeded(rec.id, now, lead, this.settings)], new Map([[rec.id, rec]]));
  }

  /**
   * An inspector's decision, to the force's liaisons and to the plan's owner when the owner is a user of the
   * force (RecipientsRepository.ownersNamed): planned due at once, sent by the worker like every notice.
   */
  async planDecision(tx: Repositories, rec: RecommendationEntity, now: Date): Promise<BatchToSchedule[]> {
    const recipients = [
      ...(await tx.recipients.liaisonsOf(rec.organisationId)),
      ...(await tx.recipients.ownersNamed(rec.organisationId, rec.owner)),
    ];
    return this.insert(tx, planDecisionNotices(rec.id, now, recipients, this.settings), new Map([[rec.id, rec]]));
  }

  async audienceFor(
    tx: Repositories,
    organisationId: string,
    leadInspectorId: string | null,
  ): Promise<RecommendationAudience> {
    const liaisons = await tx.recipients.liaisonsOf(organisationId);
    const managers = await tx.recipients.managersWhoSee(organisationId);
    const leadInspector = leadInspectorId ? await tx.recipients.active(leadInspectorId) : null;
    return { liaisons, managers, leadInspector };
  }

  /**
   * After a person was added or changed (role, organisations, preference, active): cancel what they may no
   * longer receive, and plan what the open recommendations they now hear about call for: new rows for a
   * newcomer, reminders moved between immediate and digest batches. Runs in the caller's transaction; a
   * chunk of recommendations per query, never a query per recommendation. Rows already sent stay sent.
   */
  async replanRecipient(tx: Repositories, userId: string, now: Date): Promise<BatchToSchedule[]> {
    await tx.ledger.cancelUnentitled(
      userId,
      'cancelled: the recipient no longer receives it (deactivated, or their role or organisations changed)',
    );
    const recipient = await tx.recipients.active(userId);
    if (!recipient) return [];
    const forces = (await tx.users.memberships([userId])).get(userId) ?? [];
    const scope = { everyForce: recipient.role === Role.Manager && forces.length === 0, forces };
    const batches: BatchToSchedule[] = [];
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = await tx.recipients.heardOfBy(userId, scope, after, REPLAN_CHUNK);
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const planned = rows.flatMap((row) =>
        planRecommendationNotifications(
          row,
          {
            liaisons: row.asLiaison ? [recipient] : [],
            leadInspector: row.asLead ? recipient : null,
            managers: row.asManager ? [recipient] : [],
          },
          this.settings,
          now,
        ),
      );
      batches.push(...(await this.rebatch(tx, planned)));
      const recs = new Map(rows.map((r) => [r.id, { inspectionId: r.inspectionId, organisationId: r.organisationId }]));
      batches.push(...(await this.insert(tx, planned, recs)));
      if (rows.length < REPLAN_CHUNK) break;
    }
    return batches;
  }

  /** Rows still waiting whose batch the plan now puts elsewhere (a changed digest preference) move to it. */
  private async rebatch(tx: Repositories, planned: readonly PlannedNotification[]): Promise<BatchToSchedule[]> {
    return this.toSchedule(await tx.ledger.moveToBatches(planned));
  }

  private toSchedule(rows: readonly PlannedBatchRow[]): BatchToSchedule[] {
    return batchesToSchedule(rows, this.settings.digestWindowMs);
  }

  private async cancelStale(tx: Repositories, recs: readonly RecommendationEntity[], now: Date): Promise<void> {
    const byId = new Map(recs.map((r) => [r.id, r]));
    const stale = (await tx.ledger.waitingFor([...byId.keys()]))
      .filter((row) => {
        const rec = byId.get(row.recommendationId);
        return !rec || !isStillDue(row, rec, now);
      })
      .map((row) => ({ id: row.id, reason: 'cancelled: the deadline moved or no longer applies' }));
    await tx.ledger.cancelStale(stale, [NotificationStatus.Scheduled]);
  }

  /**
   * Insert planned rows; a row already in the ledger stays as it is (sent means sent, once), except a
   * cancelled one, which a restored deadline brings back.
   */
  async insert(
    tx: Repositories,
    planned: readonly PlannedNotification[],
    recs: ReadonlyMap<string, Pick<RecommendationEntity, 'inspectionId' | 'organisationId'>>,
  ): Promise<BatchToSchedule[]> {
    const rows = planned.map((p) => ({
      ...p,
      inspectionId: recs.get(p.recommendationId)?.inspectionId ?? null,
      organisationId: recs.get(p.recommendationId)?.organisationId ?? null,
    }));
    return this.toSchedule(await tx.ledger.plan(rows));
  }
}
