import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  Role,
  batchSendTime,
  isStillDue,
  planRecommendationNotifications,
  planReviewNeeded,
  type DeadlineType,
  type NotificationKind,
  type NotificationSettings,
  type PlannedNotification,
  type RecommendationAudience,
  type Recipient,
  type ReminderDelivery,
} from '#domain';
import type { RecommendationEntity } from '#persistence';
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

const INSERT_CHUNK = 2000;
/** Recommendations re-planned per query when a person changes: bounded memory however large a force is. */
const REPLAN_CHUNK = 1000;

/** SQL: does manager `u` see organisation `org`? None means every force; otherwise theirs. */
const managerSees = (u: string, org: string): string =>
  `(NOT EXISTS (SELECT 1 FROM user_organisations muo WHERE muo.user_id = ${u}.id)
    OR EXISTS (SELECT 1 FROM user_organisations muo WHERE muo.user_id = ${u}.id AND muo.organisation_id = ${org}))`;
/** SQL: is liaison `u` a member of organisation `org`? */
const liaisonOf = (u: string, org: string): string =>
  `(${u}.role = 'liaison' AND EXISTS (SELECT 1 FROM user_organisations luo WHERE luo.user_id = ${u}.id AND luo.organisation_id = ${org}))`;

/**
 * SQL over a ledger row `n`: is its recipient still someone the audience rules below would choose? Active,
 * and a liaison of the organisation (reminders, overdue notices), its lead inspector (overdue notices,
 * closure reviews) or a manager who sees it (escalations, summaries). Checked when a person changes and
 * again just before sending.
 */
export const RECIPIENT_ENTITLED_SQL = `EXISTS (
  SELECT 1 FROM users eu
    LEFT JOIN recommendations er ON er.id = n.recommendation_id
    LEFT JOIN inspections ei ON ei.id = er.inspection_id
   WHERE eu.id = n.recipient_id AND eu.active AND (
         (n.kind = 'overdue_summary' AND eu.role = 'manager')
      OR (n.kind IN ('reminder', 'overdue') AND ${liaisonOf('eu', 'er.organisation_id')})
      OR (n.kind IN ('overdue', 'review_needed') AND ei.lead_inspector_id = eu.id)
      OR (n.kind = 'escalation' AND eu.role = 'manager' AND ${managerSees('eu', 'er.organisation_id')})))`;

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
    return this.insert(manager, planned, new Map(recs.map((r) => [r.id, r])));
  }

  async planReviewNeeded(manager: EntityManager, rec: RecommendationEntity, leadInspectorId: string, now: Date): Promise<BatchToSchedule[]> {
    const [lead] = await this.recipients(manager, `SELECT id, email, role, reminder_delivery FROM users WHERE id = $1 AND active`, [leadInspectorId]);
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
    const [leadInspector] = leadInspectorId
      ? await this.recipients(manager, `SELECT id, email, role, reminder_delivery FROM users WHERE id = $1 AND active`, [leadInspectorId])
      : [];
    return { liaisons, managers, leadInspector: leadInspector ?? null };
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
    await manager.query(
      `UPDATE notifications n SET status = 'cancelled', updated_at = now(),
              last_error = 'cancelled: the recipient no longer receives it (deactivated, or their role or organisations changed)'
        WHERE n.recipient_id = $1 AND n.status = 'scheduled' AND NOT ${RECIPIENT_ENTITLED_SQL}`,
      [userId],
    );
    const [recipient] = await this.recipients(manager, `SELECT id, email, role, reminder_delivery FROM users WHERE id = $1 AND active`, [userId]);
    if (!recipient) return [];
    const batches: BatchToSchedule[] = [];
    for (let after = '00000000-0000-0000-0000-000000000000'; ; ) {
      const rows: ReplanRow[] = await manager.query(
        `SELECT r.id, r.status, r.action_plan_due_at, r.due_at, r.priority, r.inspection_id, r.organisation_id,
                ${liaisonOf('u', 'r.organisation_id')} AS as_liaison,
                i.lead_inspector_id = u.id AS as_lead,
                (u.role = 'manager' AND ${managerSees('u', 'r.organisation_id')}) AS as_manager
           FROM users u, recommendations r JOIN inspections i ON i.id = r.inspection_id
          WHERE u.id = $1 AND r.next_deadline_at IS NOT NULL AND r.id > $2
            AND (${liaisonOf('u', 'r.organisation_id')} OR i.lead_inspector_id = u.id OR (u.role = 'manager' AND ${managerSees('u', 'r.organisation_id')}))
          ORDER BY r.id LIMIT ${REPLAN_CHUNK}`,
        [userId, after],
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
    if (planned.length === 0) return [];
    const rows: { batch_key: string }[] = await manager.query(
      `WITH moved AS (
         UPDATE notifications n SET send_at = p.send_at, batch_key = p.batch_key, updated_at = now()
           FROM unnest($1::text[], $2::timestamptz[], $3::text[]) AS p(dedup_key, send_at, batch_key)
          WHERE n.dedup_key = p.dedup_key AND n.status = 'scheduled' AND n.batch_key <> p.batch_key
         RETURNING n.batch_key)
       SELECT batch_key FROM moved`,
      [planned.map((p) => p.dedupKey), planned.map((p) => p.sendAt.toISOString()), planned.map((p) => p.batchKey)],
    );
    return this.toSchedule(new Set(rows.map((r) => r.batch_key)));
  }

  private toSchedule(batchKeys: ReadonlySet<string>): BatchToSchedule[] {
    return [...batchKeys].map((batchKey) => ({ batchKey, sendAt: batchSendTime(batchKey, this.settings.digestWindowMs) }));
  }

  private async recipients(manager: EntityManager, sql: string, params: unknown[]): Promise<Recipient[]> {
    const rows: RecipientRow[] = await manager.query(sql, params);
    return rows.map(toRecipient);
  }

  private async cancelStale(manager: EntityManager, recs: readonly RecommendationEntity[], now: Date): Promise<void> {
    const byId = new Map(recs.map((r) => [r.id, r]));
    const pending: { id: string; recommendation_id: string; kind: NotificationKind; deadline_type: DeadlineType; deadline_at: Date }[] =
      await manager.query(
        `SELECT id, recommendation_id, kind, deadline_type, deadline_at FROM notifications
          WHERE recommendation_id = ANY($1::uuid[]) AND status = 'scheduled'`,
        [[...byId.keys()]],
      );
    const stale = pending
      .filter((row) => {
        const rec = byId.get(row.recommendation_id);
        return !rec || !isStillDue({ kind: row.kind, deadlineType: row.deadline_type, deadlineAt: row.deadline_at }, rec, now);
      })
      .map((row) => row.id);
    if (stale.length === 0) return;
    await manager.query(
      `UPDATE notifications SET status = 'cancelled', last_error = 'cancelled: the deadline moved or no longer applies', updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = 'scheduled'`,
      [stale],
    );
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
    const batchKeys = new Set<string>();
    for (let start = 0; start < planned.length; start += INSERT_CHUNK) {
      const chunk = planned.slice(start, start + INSERT_CHUNK);
      const rows: { batch_key: string }[] = await manager.query(
        `INSERT INTO notifications (dedup_key, recommendation_id, inspection_id, organisation_id, deadline_type, deadline_at,
                                    kind, offset_key, recipient_id, recipient_email, send_at, batch_key, status)
         SELECT *, 'scheduled' FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[],
                                          $7::text[], $8::text[], $9::uuid[], $10::text[], $11::timestamptz[], $12::text[])
         ON CONFLICT (dedup_key) DO UPDATE
            SET status = 'scheduled', send_at = EXCLUDED.send_at, batch_key = EXCLUDED.batch_key,
                attempts = 0, last_error = NULL, message_id = NULL, retry_at = NULL, updated_at = now()
          WHERE notifications.status = 'cancelled'
         RETURNING batch_key`,
        [
          chunk.map((p) => p.dedupKey),
          chunk.map((p) => p.recommendationId),
          chunk.map((p) => recs.get(p.recommendationId)?.inspectionId ?? null),
          chunk.map((p) => recs.get(p.recommendationId)?.organisationId ?? null),
          chunk.map((p) => p.deadlineType),
          chunk.map((p) => p.deadlineAt.toISOString()),
          chunk.map((p) => p.kind),
          chunk.map((p) => p.offsetKey),
          chunk.map((p) => p.recipientId),
          chunk.map((p) => p.recipientEmail),
          chunk.map((p) => p.sendAt.toISOString()),
          chunk.map((p) => p.batchKey),
        ],
      );
      for (const row of rows) batchKeys.add(row.batch_key);
    }
    return this.toSchedule(batchKeys);
  }
}
