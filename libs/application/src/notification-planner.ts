// Keeps the notification ledger in step with recommendations and people, inside the caller's transaction.
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  NotificationKind,
  NotificationStatus,
  Role,
  escalationLadderKey,
  isStillDue,
  planRecommendationNotifications,
  planReviewNeeded,
  slotOf,
  type NotificationSettings,
  type PlannedNotification,
  type RecommendationAudience,
  type Recipient,
  type ReminderDelivery,
} from '#domain';
import { LedgerRepository, liaisonOfSql as liaisonOf, managerSeesSql as managerSees, type PlannedBatchRow, type RecommendationEntity } from '#persistence';
import type { BatchToSchedule } from './tokens.js';

interface RecipientRow {
  id: string;
  email: string;
  role: Role;
  reminder_delivery: ReminderDelivery;
}

const toRecipient = (row: RecipientRow): Recipient => ({
  userId: row.id,
  email: row.email,
  role: row.role,
  reminderDelivery: row.reminder_delivery,
});

/** Recommendations re-planned per query when a person changes: bounded memory however large a force is. */
const REPLAN_CHUNK = 1000;

/** The batches of planned or moved rows, one entry each, due at its slot (when its window closes). */
export function batchesToSchedule(rows: readonly PlannedBatchRow[], digestWindowMs: number): BatchToSchedule[] {
  const sendAt = new Map(rows.map((r) => [r.batch_key, r.send_at]));
  return [...sendAt].map(([batchKey, at]) => ({ batchKey, sendAt: slotOf({ sendAt: at }, digestWindowMs) }));
}

interface ReplanRow {
  id: string;
  status: RecommendationEntity['status'];
  action_plan_due_at: Date;
  due_at: Date;
  priority: boolean;
  inspection_id: string;
  organisation_id: string;
  as_liaison: boolean;
  as_lead: boolean;
  as_manager: boolean;
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
    };
  }

  /** Cancel what no longer applies to these recommendations, then plan what their deadlines now call for. */
  async syncRecommendations(
    manager: EntityManager,
    recs: readonly RecommendationEntity[],
    leadInspectorId: string,
    now: Date,
  ): Promise<BatchToSchedule[]> {
    if (recs.length === 0) return [];
    await this.cancelStale(manager, recs, now);
    const audiences = new Map<string, RecommendationAudience>();
    const planned: PlannedNotification[] = [];
    for (const rec of recs) {
      let audience = audiences.get(rec.organisationId);
      if (!audience) {
        audience = await this.audienceFor(manager, rec.organisationId, leadInspectorId);
        audiences.set(rec.organisationId, audience);
      }
      planned.push(...planRecommendationNotifications(rec, audience, this.settings, now));
    }
    const toInsert = await this.withoutEscalationsUnderway(manager, planned);
    return this.insert(manager, toInsert, new Map(recs.map((r) => [r.id, r])));
  }

  /**
   * Planning starts an escalation ladder at the step `now` has reached; a ladder already in the ledger
   * for that deadline and manager carries on by itself (each step sent plans the next). Leaving those
   * out keeps a change of ESCALATE_AFTER/ESCALATE_EVERY from starting a second ladder beside the first.
   */
  private async withoutEscalationsUnderway(manager: EntityManager, planned: PlannedNotification[]): Promise<PlannedNotification[]> {
    const escalations = planned.filter((p) => p.kind === NotificationKind.Escalation);
    if (escalations.length === 0) return planned;
    const ladders = await new LedgerRepository(manager).escalationsUnderway([...new Set(escalations.map((p) => p.recommendationId))]);
    const underway = new Set(ladders.map((l) => escalationLadderKey(l.recommendation_id, l.deadline_type, l.deadline_at, l.recipient_id)));
    const known = new Set(ladders.map((l) => l.dedup_key));
    return planned.filter(
      (p) => p.kind !== NotificationKind.Escalation || known.has(p.dedupKey) || !underway.has(escalationLadderKey(p.recommendationId, p.deadlineType, p.deadlineAt, p.recipientId)),
    );
  }

  async planReviewNeeded(manager: EntityManager, rec: RecommendationEntity, leadInspectorId: string, now: Date): Promise<BatchToSchedule[]> {
    const lead = await this.activeRecipient(manager, leadInspectorId);
    if (!lead) return [];
    return this.insert(manager, [planReviewNeeded(rec.id, now, lead, this.settings)], new Map([[rec.id, rec]]));
  }

  async audienceFor(manager: EntityManager, organisationId: string, leadInspectorId: string | null): Promise<RecommendationAudience> {
    const liaisons = await this.recipients(
      manager,
      `SELECT u.id, u.email, u.role, u.reminder_delivery FROM users u
         JOIN user_organisations uo ON uo.user_id = u.id
        WHERE uo.organisation_id = $1 AND u.role = 'liaison' AND u.active ORDER BY u.id`,
      [organisationId],
    );
    const managers = await this.managersWhoSee(manager, organisationId);
    const leadInspector = leadInspectorId ? await this.activeRecipient(manager, leadInspectorId) : null;
    return { liaisons, managers, leadInspector };
  }

  /** Managers with no organisations see every force; the others, theirs. */
  managersWhoSee(manager: EntityManager, organisationId: string): Promise<Recipient[]> {
    return this.recipients(
      manager,
      `SELECT u.id, u.email, u.role, u.reminder_delivery FROM users u
        WHERE u.role = 'manager' AND u.active AND ${managerSees('u', '$1')}
        ORDER BY u.id`,
      [organisationId],
    );
  }

  /**
   * After a person was added or changed (role, organisations, preference, active): cancel what they may no
   * longer receive, and plan what the open recommendations they now hear about call for: new rows for a
   * newcomer, reminders moved between immediate and digest batches. Runs in the caller's transaction; a
   * chunk of recommendations per query, never a query per recommendation. Rows already sent stay sent.
   */
  async replanRecipient(manager: EntityManager, userId: string, now: Date): Promise<BatchToSchedule[]> {
    await new LedgerRepository(manager).cancelUnentitled(userId, 'cancelled: the recipient no longer receives it (deactivated, or their role or organisations changed)');
    const recipient = await this.activeRecipient(manager, userId);
    if (!recipient) return [];
    // Their forces narrow the scan (an index), unless they are a manager of every force; led inspections add to it.
    const [{ organisation_ids: forces }]: { organisation_ids: string[] }[] = await manager.query(
      `SELECT coalesce(array_agg(organisation_id), '{}') AS organisation_ids FROM user_organisations WHERE user_id = $1`,
      [userId],
    );
    const everyForce = recipient.role === Role.Manager && forces.length === 0;
    const batches: BatchToSchedule[] = [];
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows: ReplanRow[] = await manager.query(
        `SELECT r.id, r.status, r.action_plan_due_at, r.due_at, r.priority, r.inspection_id, r.organisation_id,
                ${liaisonOf('u', 'r.organisation_id')} AS as_liaison,
                i.lead_inspector_id = u.id AS as_lead,
                (u.role = 'manager' AND ${managerSees('u', 'r.organisation_id')}) AS as_manager
           FROM users u, recommendations r JOIN inspections i ON i.id = r.inspection_id
          WHERE u.id = $1 AND r.next_deadline_at IS NOT NULL AND r.id > $2
            AND ($3 OR r.organisation_id = ANY($4::uuid[]) OR i.lead_inspector_id = $1)
            AND (${liaisonOf('u', 'r.organisation_id')} OR i.lead_inspector_id = u.id OR (u.role = 'manager' AND ${managerSees('u', 'r.organisation_id')}))
          ORDER BY r.id LIMIT ${REPLAN_CHUNK}`,
        [userId, after, everyForce, forces],
      );
      if (rows.length === 0) break;
      after = rows[rows.length - 1].id;
      const planned = rows.flatMap((row) =>
        planRecommendationNotifications(
          { id: row.id, status: row.status, actionPlanDueAt: row.action_plan_due_at, dueAt: row.due_at, priority: row.priority },
          { liaisons: row.as_liaison ? [recipient] : [], leadInspector: row.as_lead ? recipient : null, managers: row.as_manager ? [recipient] : [] },
          this.settings,
          now,
        ),
      );
      batches.push(...(await this.rebatch(manager, planned)));
      const recs = new Map(rows.map((r) => [r.id, { inspectionId: r.inspection_id, organisationId: r.organisation_id }]));
      batches.push(...(await this.insert(manager, planned, recs)));
      if (rows.length < REPLAN_CHUNK) break;
    }
    return batches;
  }

  /** Rows still waiting whose batch the plan now puts elsewhere (a changed digest preference) move to it. */
  private async rebatch(manager: EntityManager, planned: readonly PlannedNotification[]): Promise<BatchToSchedule[]> {
    return this.toSchedule(await new LedgerRepository(manager).moveToBatches(planned));
  }

  private toSchedule(rows: readonly PlannedBatchRow[]): BatchToSchedule[] {
    return batchesToSchedule(rows, this.settings.digestWindowMs);
  }

  private async recipients(manager: EntityManager, sql: string, params: unknown[]): Promise<Recipient[]> {
    const rows: RecipientRow[] = await manager.query(sql, params);
    return rows.map(toRecipient);
  }

  /** One person as a recipient (a lead inspector, a newcomer), or null when they are not active. */
  private async activeRecipient(manager: EntityManager, userId: string): Promise<Recipient | null> {
    const [recipient] = await this.recipients(manager, `SELECT id, email, role, reminder_delivery FROM users WHERE id = $1 AND active`, [userId]);
    return recipient ?? null;
  }

  private async cancelStale(manager: EntityManager, recs: readonly RecommendationEntity[], now: Date): Promise<void> {
    const ledger = new LedgerRepository(manager);
    const byId = new Map(recs.map((r) => [r.id, r]));
    const stale = (await ledger.waitingFor([...byId.keys()]))
      .filter((row) => {
        const rec = byId.get(row.recommendation_id);
        return !rec || !isStillDue({ kind: row.kind, deadlineType: row.deadline_type, deadlineAt: row.deadline_at }, rec, now);
      })
      .map((row) => ({ id: row.id, reason: 'cancelled: the deadline moved or no longer applies' }));
    await ledger.cancelStale(stale, [NotificationStatus.Scheduled]);
  }

  /**
   * Insert planned rows; a row already in the ledger stays as it is (sent means sent, once), except a
   * cancelled one, which a restored deadline brings back.
   */
  async insert(
    manager: EntityManager,
    planned: readonly PlannedNotification[],
    recs: ReadonlyMap<string, Pick<RecommendationEntity, 'inspectionId' | 'organisationId'>>,
  ): Promise<BatchToSchedule[]> {
    const rows = planned.map((p) => ({
      ...p,
      inspectionId: recs.get(p.recommendationId)?.inspectionId ?? null,
      organisationId: recs.get(p.recommendationId)?.organisationId ?? null,
    }));
    return this.toSchedule(await new LedgerRepository(manager).plan(rows));
  }
}
