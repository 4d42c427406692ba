// What the dispatcher reads to compose a round's emails: the recommendations its rows are about, a summary's recipient
// and what is overdue.
import type { EntityManager } from 'typeorm';
import type { RecommendationStatus, Role } from '#domain';

/** A recommendation as an email shows it, with its deadlines for the staleness check. */
export interface DispatchRecommendation {
  id: string;
  status: RecommendationStatus;
  actionPlanDueAt: Date;
  dueAt: Date;
  nextDeadlineAt: Date | null;
  /** While planned: the last progress (a stale nudge counts from it). */
  progressAt: Date | null;
  reference: string;
  text: string;
  priority: boolean;
  inspectionId: string;
  organisationId: string;
  inspectionTitle: string;
  organisationName: string;
  /** The titles of the latest closure proposal's evidence (all submitted at one moment), and who submitted it. */
  evidenceTitles: string[];
  /** The evidence files on it now (not withdrawn), oldest first: a review alert names them. */
  evidenceFiles?: { name: string; size: number; type: string; scan: string }[];
  proposedBy: string | null;
  /**
   * For the calendar event a reminder attaches: the versions and last changes of the recommendation and its inspection.
   */
  version: number;
  updatedAt: Date;
  inspectionVersion: number;
  inspectionUpdatedAt: Date;
}

/** A decision a notice is about: the audit event of that recommendation at that moment, and who made it. */
export interface DispatchDecision {
  recommendationId: string;
  at: Date;
  action: string;
  comment: string | null;
  toStatus: string | null;
  outcome: string | null;
  actorName: string | null;
}

/**
 * A weekly summary's recipient as they are now: their role and the forces they belong to, or every force
 * (`allOrganisations`, the column `all_organisations`).
 */
export interface SummaryRecipient {
  role: Role;
  organisationIds: string[];
  allOrganisations: boolean;
}

const RECOMMENDATION_SQL = `
  SELECT r.id, r.status, r.action_plan_due_at AS "actionPlanDueAt", r.due_at AS "dueAt",
         r.next_deadline_at AS "nextDeadlineAt", r.progress_at AS "progressAt", r.reference, r.text, r.priority,
         r.inspection_id AS "inspectionId", r.organisation_id AS "organisationId", i.title AS "inspectionTitle",
         o.name AS "organisationName", r.version, r.updated_at AS "updatedAt", i.version AS "inspectionVersion",
         i.updated_at AS "inspectionUpdatedAt",
         coalesce((SELECT array_agg(e.title ORDER BY e.title) FROM evidence e
                    WHERE e.recommendation_id = r.id AND e.created_at = (SELECT max(le.created_at) FROM evidence le WHERE le.recommendation_id = r.id)), '{}') AS "evidenceTitles",
         (SELECT u.name FROM evidence e JOIN users u ON u.id = e.submitted_by WHERE e.recommendation_id = r.id ORDER BY e.created_at DESC LIMIT 1) AS "proposedBy",
         (SELECT coalesce(json_agg(json_build_object('name', f.name, 'size', f.size, 'type', f.type, 'scan', f.scan) ORDER BY f.uploaded_at, f.name, f.id), '[]'::json)
            FROM evidence_files f WHERE f.recommendation_id = r.id AND f.withdrawn_at IS NULL) AS "evidenceFiles"
    FROM recommendations r
    JOIN inspections i ON i.id = r.inspection_id
    JOIN organisations o ON o.id = r.organisation_id`;

export class DispatchQueries {
  constructor(private readonly db: EntityManager) {}

  /** These recommendations (those that still exist), in one query for a whole round. */
  recommendations(ids: readonly string[]): Promise<DispatchRecommendation[]> {
    return this.db.query(`${RECOMMENDATION_SQL} WHERE r.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * The decisions these notices are about: each (recommendation, moment) pair's audit event (a decision is
   * recorded with the same clock reading the notice carries as its deadline), with its maker's name.
   */
  decisions(
    keys: readonly { recommendationId: string; at: Date }[],
    actions: readonly string[],
  ): Promise<DispatchDecision[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.db.query(
      `SELECT e.entity_id AS "recommendationId", e.at, e.action, e.comment, e.to_status AS "toStatus",
              e.changes #>> '{outcome,to}' AS outcome, u.name AS "actorName"
         FROM unnest($1::uuid[], $2::timestamptz[]) AS k(recommendation_id, at)
         JOIN audit_events e ON e.entity_type = 'recommendation' AND e.entity_id = k.recommendation_id AND e.at = k.at AND e.action = ANY($3::text[])
         LEFT JOIN users u ON u.id = e.actor_id`,
      [keys.map((k) => k.recommendationId), keys.map((k) => k.at.toISOString()), actions],
    );
  }

  /** The person, or undefined when they are gone. */
  async summaryRecipient(userId: string): Promise<SummaryRecipient | undefined> {
    const users: SummaryRecipient[] = await this.db.query(
      `SELECT u.role, u.all_organisations AS "allOrganisations",
              coalesce(array_agg(uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS "organisationIds"
         FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id WHERE u.id = $1 GROUP BY u.id`,
      [userId],
    );
    return users[0];
  }

  /**
   * The first `limit` published recommendations whose next deadline passed before `before`, most overdue first, in
   * these forces (null: every force).
   */
  overdue(before: Date, organisationIds: readonly string[] | null, limit: number): Promise<DispatchRecommendation[]> {
    return this.db.query(
      `${RECOMMENDATION_SQL}
        WHERE r.next_deadline_at < $1 AND NOT r.draft AND ($2::uuid[] IS NULL OR r.organisation_id = ANY($2::uuid[]))
        ORDER BY r.next_deadline_at, r.reference, r.id LIMIT ${Number(limit)}`,
      [before, organisationIds],
    );
  }
}
