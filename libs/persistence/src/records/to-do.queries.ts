// Reads behind "My work" as a complete to-do list: what waits on a liaison officer or a lead inspector, the counts the
// API gives, and what changed since a visit.
import type { EntityManager } from 'typeorm';

/** Why a recommendation waits on its force's liaison officers. */
export type LiaisonToDoGroup = 'plan' | 'returned' | 'progress';

/** A recommendation waiting on someone, with what a person needs to recognise it and how long it has waited. */
export interface ToDoRow {
  id: string;
  reference: string;
  text: string;
  status: string;
  organisationId: string;
  organisationName: string;
  inspectionId: string;
  inspectionTitle: string;
  actionPlanDueAt: Date;
  dueAt: Date;
  nextDeadlineAt: Date | null;
  progressAt: Date | null;
  /** Liaison: plan, returned or progress. Inspector: review. */
  group: string;
  /** Since when it has waited: publication (plan), the return, the last progress, or the closure proposal. */
  waitingSince: Date;
  /** The return's reason, or the name of who proposed closure. */
  detail: string | null;
}

/** How many items wait in a group (a bigint count, as text). */
export interface ToDoCountRow {
  group: string;
  n: string;
}

export interface InspectionDeadlineRow {
  id: string;
  title: string;
  organisationName: string;
  publishedAt: Date;
  revisitDueAt: Date;
  open: string;
  overdue: string;
  nextActionPlanAt: Date | null;
  nextDueAt: Date | null;
}

export interface DraftRow {
  id: string;
  title: string;
  organisationName: string;
  recommendations: string;
}

export interface ForceAtRiskRow {
  organisationId: string;
  organisationName: string;
  overdue: string;
  stale: string;
}

export interface ChangeRow {
  at: Date;
  action: string;
  comment: string | null;
  changes: Record<string, unknown>;
  actorName: string | null;
  recommendationId: string;
  reference: string;
  inspectionTitle: string;
  organisationName: string;
}

/**
 * The latest workflow step of each recommendation (audit actions without a `recommendation.` prefix are workflow
 * actions).
 */
const LAST_STEP = `LEFT JOIN LATERAL (
    SELECT a.action, a.at, a.comment FROM audit_events a
     WHERE a.entity_type = 'recommendation' AND a.entity_id = r.id AND a.action NOT LIKE 'recommendation.%'
     ORDER BY a.seq DESC LIMIT 1) last ON true`;

const LIAISON_GROUP = `CASE WHEN r.status = 'issued' THEN 'plan' WHEN last.action = 'return' THEN 'returned' ELSE 'progress' END`;

const LIAISON_FROM = `
  FROM recommendations r
  JOIN inspections i ON i.id = r.inspection_id
  JOIN organisations o ON o.id = r.organisation_id
  ${LAST_STEP}
 WHERE r.organisation_id = ANY($1::uuid[]) AND r.status IN ('issued', 'planned') AND NOT r.draft`;

const REVIEW_FROM = `
  FROM recommendations r
  JOIN inspections i ON i.id = r.inspection_id AND i.lead_inspector_id = $1
  JOIN organisations o ON o.id = r.organisation_id
  LEFT JOIN LATERAL (
    SELECT a.at, a.actor_id FROM audit_events a
     WHERE a.entity_type = 'recommendation' AND a.entity_id = r.id AND a.action = 'propose_closure'
     ORDER BY a.seq DESC LIMIT 1) p ON true
  LEFT JOIN users u ON u.id = p.actor_id
 WHERE r.status = 'closure_proposed'`;

const COLUMNS = `r.id, r.reference, r.text, r.status, r.organisation_id AS "organisationId", o.name AS "organisationName",
  r.inspection_id AS "inspectionId", i.title AS "inspectionTitle", r.action_plan_due_at AS "actionPlanDueAt",
  r.due_at AS "dueAt", r.next_deadline_at AS "nextDeadlineAt", r.progress_at AS "progressAt"`;

/**
 * What waits on a person: every item, whatever its deadline, in one statement per list; the counts come
 * from the same FROM and WHERE, so the page and the API's count cannot disagree.
 */
export class ToDoQueries {
  constructor(private readonly db: EntityManager) {}

  /**
   * Recommendations of these forces whose next step is the force's: a plan to submit, progress due, a returned closure;
   * soonest deadline first.
   */
  liaison(organisationIds: readonly string[], limit: number): Promise<ToDoRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS}, ${LIAISON_GROUP} AS "group",
              CASE WHEN r.status = 'issued' THEN i.published_at WHEN last.action = 'return' THEN last.at ELSE coalesce(r.progress_at, r.updated_at) END AS "waitingSince",
              CASE WHEN last.action = 'return' THEN last.comment END AS detail
       ${LIAISON_FROM}
       ORDER BY r.next_deadline_at NULLS LAST, r.id LIMIT $2`,
      [organisationIds, limit],
    );
  }

  liaisonCounts(organisationIds: readonly string[]): Promise<ToDoCountRow[]> {
    return this.db.query(`SELECT ${LIAISON_GROUP} AS "group", count(*) AS n ${LIAISON_FROM} GROUP BY 1`, [
      organisationIds,
    ]);
  }

  /** Closures proposed on the inspections `leadInspectorId` leads, longest waiting first, with when and by whom. */
  review(leadInspectorId: string, limit: number): Promise<ToDoRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS}, 'review' AS "group", coalesce(p.at, r.updated_at) AS "waitingSince", u.name AS detail
       ${REVIEW_FROM}
       ORDER BY coalesce(p.at, r.updated_at), r.id LIMIT $2`,
      [leadInspectorId, limit],
    );
  }

  reviewCounts(leadInspectorId: string): Promise<ToDoCountRow[]> {
    return this.db.query(`SELECT 'review' AS "group", count(*) AS n ${REVIEW_FROM}`, [leadInspectorId]);
  }

  /**
   * Each inspection `leadInspectorId` leads that still has something open or a revisit ahead, with its next deadlines.
   */
  inspectionDeadlines(leadInspectorId: string, now: Date, limit: number): Promise<InspectionDeadlineRow[]> {
    return this.db.query(
      `SELECT i.id, i.title, o.name AS "organisationName", i.published_at AS "publishedAt", i.revisit_due_at AS "revisitDueAt",
              count(r.id) FILTER (WHERE r.status <> 'closed') AS open,
              count(r.id) FILTER (WHERE r.next_deadline_at < $2) AS overdue,
              min(r.action_plan_due_at) FILTER (WHERE r.status = 'issued' AND r.action_plan_due_at >= $2) AS "nextActionPlanAt",
              min(r.due_at) FILTER (WHERE r.status IN ('issued', 'planned') AND r.due_at >= $2) AS "nextDueAt"
         FROM inspections i
         JOIN organisations o ON o.id = i.organisation_id
         LEFT JOIN recommendations r ON r.inspection_id = i.id
        WHERE i.lead_inspector_id = $1 AND NOT i.draft
        GROUP BY i.id, o.name
       HAVING count(r.id) FILTER (WHERE r.status <> 'closed') > 0 OR i.revisit_due_at >= $2
        ORDER BY i.published_at DESC, i.id LIMIT $3`,
      [leadInspectorId, now, limit],
    );
  }

  /**
   * Draft inspections `leadInspectorId` leads (waiting for them to publish), oldest first, with their recommendation
   * counts.
   */
  drafts(leadInspectorId: string, limit: number): Promise<DraftRow[]> {
    return this.db.query(
      `SELECT i.id, i.title, o.name AS "organisationName", (SELECT count(*) FROM recommendations r WHERE r.inspection_id = i.id) AS recommendations
         FROM inspections i JOIN organisations o ON o.id = i.organisation_id
        WHERE i.lead_inspector_id = $1 AND i.draft
        ORDER BY i.created_at, i.id LIMIT $2`,
      [leadInspectorId, limit],
    );
  }

  /**
   * Per force in scope (null: every force), recommendations overdue at `now` and planned ones with no
   * progress since `staleBefore`; forces with neither are left out. Most overdue first.
   */
  forcesAtRisk(organisationIds: readonly string[] | null, now: Date, staleBefore: Date): Promise<ForceAtRiskRow[]> {
    return this.db.query(
      `SELECT r.organisation_id AS "organisationId", o.name AS "organisationName",
              count(*) FILTER (WHERE r.next_deadline_at < $1) AS overdue,
              count(*) FILTER (WHERE r.status = 'planned' AND r.progress_at <= $2) AS stale
         FROM recommendations r JOIN organisations o ON o.id = r.organisation_id
        WHERE ($3::uuid[] IS NULL OR r.organisation_id = ANY($3::uuid[])) AND NOT r.draft
          AND (r.next_deadline_at < $1 OR (r.status = 'planned' AND r.progress_at <= $2))
        GROUP BY r.organisation_id, o.name
        ORDER BY overdue DESC, o.name, r.organisation_id`,
      [now, staleBefore, organisationIds],
    );
  }

  /**
   * Workflow steps and moved dates on recommendations in scope since `since`, taken by someone else, newest
   * first. Scope: these forces (null: every force), and only inspections `leadInspectorId` leads when given.
   */
  changesSince(
    since: Date,
    actorId: string,
    organisationIds: readonly string[] | null,
    leadInspectorId: string | null,
    actions: readonly string[],
    limit: number,
  ): Promise<ChangeRow[]> {
    return this.db.query(
      `SELECT a.at, a.action, a.comment, a.changes, u.name AS "actorName", r.id AS "recommendationId", r.reference,
              i.title AS "inspectionTitle", o.name AS "organisationName"
         FROM audit_events a
         JOIN recommendations r ON r.id = a.entity_id
         JOIN inspections i ON i.id = r.inspection_id
         JOIN organisations o ON o.id = r.organisation_id
         LEFT JOIN users u ON u.id = a.actor_id
        WHERE a.entity_type = 'recommendation' AND a.at > $1 AND a.actor_id IS DISTINCT FROM $2
          AND a.action = ANY($3::text[]) AND NOT r.draft
          -- A recommendation imported as a draft is news when it is published, not when it was drafted.
          AND NOT (a.action = 'recommendation.issued' AND EXISTS (
                SELECT 1 FROM audit_events p
                 WHERE p.entity_type = 'recommendation' AND p.entity_id = r.id AND p.action = 'recommendation.published'))
          AND ($4::uuid[] IS NULL OR r.organisation_id = ANY($4::uuid[]))
          AND ($5::uuid IS NULL OR i.lead_inspector_id = $5)
        ORDER BY a.seq DESC LIMIT $6`,
      [since, actorId, actions, organisationIds, leadInspectorId, limit],
    );
  }
}
