// What the dispatcher reads to compose a round's emails: the recommendations its rows are about, a summary's recipient and what is overdue.
import type { EntityManager } from 'typeorm';
import type { RecommendationStatus, Role } from '#domain';

/** A recommendation as an email shows it, with its deadlines for the staleness check. */
export interface DispatchRecommendationRow {
  id: string;
  status: RecommendationStatus;
  action_plan_due_at: Date;
  due_at: Date;
  next_deadline_at: Date | null;
  reference: string;
  text: string;
  priority: boolean;
  inspection_id: string;
  organisation_id: string;
  inspection_title: string;
  organisation_name: string;
}

/** A weekly summary's recipient as they are now: their role and the forces they belong to, or every force (`all_organisations`). */
export interface SummaryRecipientRow {
  role: Role;
  organisation_ids: string[];
  all_organisations: boolean;
}

const RECOMMENDATION_SQL = `
  SELECT r.id, r.status, r.action_plan_due_at, r.due_at, r.next_deadline_at, r.reference, r.text, r.priority,
         r.inspection_id, r.organisation_id, i.title AS inspection_title, o.name AS organisation_name
    FROM recommendations r
    JOIN inspections i ON i.id = r.inspection_id
    JOIN organisations o ON o.id = r.organisation_id`;

export class DispatchQueries {
  constructor(private readonly db: EntityManager) {}

  /** These recommendations (those that still exist), in one query for a whole round. */
  recommendations(ids: readonly string[]): Promise<DispatchRecommendationRow[]> {
    return this.db.query(`${RECOMMENDATION_SQL} WHERE r.id = ANY($1::uuid[])`, [ids]);
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

  /** The first `limit` recommendations whose next deadline passed before `before`, most overdue first, in these forces (null: every force). */
  overdue(before: Date, organisationIds: readonly string[] | null, limit: number): Promise<DispatchRecommendationRow[]> {
    return this.db.query(
      `${RECOMMENDATION_SQL}
        WHERE r.next_deadline_at < $1 AND ($2::uuid[] IS NULL OR r.organisation_id = ANY($2::uuid[]))
        ORDER BY r.next_deadline_at, r.id LIMIT ${Number(limit)}`,
      [before, organisationIds],
    );
  }
}
