// What the dispatcher reads to compose a round's emails: the recommendations its rows are about, a summary's recipient
// and what is overdue.
import type { EntityManager } from 'typeorm';
import type { RecommendationStatus, Role } from '#domain';

/** A recommendation as an email shows it, with its deadlines for the staleness check. */
export interface DispatchRecommendationRow {
  id: string;
  status: RecommendationStatus;
  action_plan_due_at: Date;
  due_at: Date;
  next_deadline_at: Date | null;
  /** While planned: the last progress (a stale nudge counts from it). */
  progress_at: Date | null;
  reference: string;
  text: string;
  priority: boolean;
  inspection_id: string;
  organisation_id: string;
  inspection_title: string;
  organisation_name: string;
  /** The titles of the latest closure proposal's evidence (all submitted at one moment), and who submitted it. */
  evidence_titles: string[];
  /** The evidence files on it now (not withdrawn), oldest first: a review alert names them. */
  evidence_files?: { name: string; size: number; type: string; scan: string }[];
  proposed_by: string | null;
  /**
   * For the calendar event a reminder attaches: the versions and last changes of the recommendation and its inspection.
   */
  version: number;
  updated_at: Date;
  inspection_version: number;
  inspection_updated_at: Date;
}

/** A decision a notice is about: the audit event of that recommendation at that moment, and who made it. */
export interface DispatchDecisionRow {
  recommendation_id: string;
  at: Date;
  action: string;
  comment: string | null;
  to_status: string | null;
  outcome: string | null;
  actor_name: string | null;
}

/**
 * A weekly summary's recipient as they are now: their role and the forces they belong to, or every force
 * (`all_organisations`).
 */
export interface SummaryRecipientRow {
  role: Role;
  organisation_ids: string[];
  all_organisations: boolean;
}

const RECOMMENDATION_SQL = `
  SELECT r.id, r.status, r.action_plan_due_at, r.due_at, r.next_deadline_at, r.progress_at, r.reference, r.text, r.priority,
         r.inspection_id, r.organisation_id, i.title AS inspection_title, o.name AS organisation_name,
         r.version, r.updated_at, i.version AS inspection_version, i.updated_at AS inspection_updated_at,
         coalesce((SELECT array_agg(e.title ORDER BY e.title) FROM evidence e
                    WHERE e.recommendation_id = r.id AND e.created_at = (SELECT max(le.created_at) FROM evidence le WHERE le.recommendation_id = r.id)), '{}') AS evidence_titles,
         (SELECT u.name FROM evidence e JOIN users u ON u.id = e.submitted_by WHERE e.recommendation_id = r.id ORDER BY e.created_at DESC LIMIT 1) AS proposed_by,
         (SELECT coalesce(json_agg(json_build_object('name', f.name, 'size', f.size, 'type', f.type, 'scan', f.scan) ORDER BY f.uploaded_at, f.name, f.id), '[]'::json)
            FROM evidence_files f WHERE f.recommendation_id = r.id AND f.withdrawn_at IS NULL) AS evidence_files
    FROM recommendations r
    JOIN inspections i ON i.id = r.inspection_id
    JOIN organisations o ON o.id = r.organisation_id`;

export class DispatchQueries {
  constructor(private readonly db: EntityManager) {}

  /** These recommendations (those that still exist), in one query for a whole round. */
  recommendations(ids: readonly string[]): Promise<DispatchRecommendationRow[]> {
    return this.db.query(`${RECOMMENDATION_SQL} WHERE r.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * The decisions these notices are about: each (recommendation, moment) pair's audit event (a decision is
   * recorded with the same clock reading the notice carries as its deadline), with its maker's name.
   */
  decisions(
    keys: readonly { recommendationId: string; at: Date }[],
    actions: readonly string[],
  ): Promise<DispatchDecisionRow[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.db.query(
      `SELECT e.entity_id AS recommendation_id, e.at, e.action, e.comment, e.to_status, e.changes #>> '{outcome,to}' AS outcome, u.name AS actor_name
         FROM unnest($1::uuid[], $2::timestamptz[]) AS k(recommendation_id, at)
         JOIN audit_events e ON e.entity_type = 'recommendation' AND e.entity_id = k.recommendation_id AND e.at = k.at AND e.action = ANY($3::text[])
         LEFT JOIN users u ON u.id = e.actor_id`,
      [keys.map((k) => k.recommendationId), keys.map((k) => k.at.toISOString()), actions],
    );
  }

  /** The person, or undefined when they are gone. */
  async summaryRecipient(userId: string): Promise<SummaryRecipientRow | undefined> {
    const users: SummaryRecipientRow[] = await this.db.query(
      `SELECT u.role, u.all_organisations, coalesce(array_agg(uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS organisation_ids
         FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id WHERE u.id = $1 GROUP BY u.id`,
      [userId],
    );
    return users[0];
  }

  /**
   * The first `limit` published recommendations whose next deadline passed before `before`, most overdue first, in
   * these forces (null: every force).
   */
  overdue(
    before: Date,
    organisationIds: readonly string[] | null,
    limit: number,
  ): Promise<DispatchRecommendationRow[]> {
    return this.db.query(
      `${RECOMMENDATION_SQL}
        WHERE r.next_deadline_at < $1 AND NOT r.draft AND ($2::uuid[] IS NULL OR r.organisation_id = ANY($2::uuid[]))
        ORDER BY r.next_deadline_at, r.reference, r.id LIMIT ${Number(limit)}`,
      [before, organisationIds],
    );
  }
}
