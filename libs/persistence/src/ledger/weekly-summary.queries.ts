// Who the weekly overdue summary goes to: every active manager, with the forces they belong to.
import type { EntityManager } from 'typeorm';

/** An active manager: of every force (`allOrganisations`), or of the organisations listed. */
export interface SummaryManager {
  id: string;
  email: string;
  organisationIds: string[];
  allOrganisations: boolean;
}

export class WeeklySummaryQueries {
  constructor(private readonly db: EntityManager) {}

  /** Every active manager, by id, with their organisations in order. */
  activeManagers(): Promise<SummaryManager[]> {
    return this.db.query(
      `SELECT u.id, u.email, u.all_organisations AS "allOrganisations",
              coalesce(array_agg(uo.organisation_id ORDER BY uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS "organisationIds"
         FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id
        WHERE u.role = 'manager' AND u.active GROUP BY u.id ORDER BY u.id`,
    );
  }
}
