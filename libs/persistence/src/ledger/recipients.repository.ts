// Who hears about a recommendation: its force's liaisons, the managers who see the force, its lead inspector.
import type { EntityManager } from 'typeorm';
import type { Recipient, RecommendationStatus } from '#domain';
import { liaisonOfSql as liaisonOf, managerSeesSql as managerSees } from './recipient-entitlement.js';

/** A user `u` as a Recipient. */
const RECIPIENT_COLUMNS = `u.id AS "userId", u.email, u.role, u.reminder_delivery AS "reminderDelivery"`;

/** An open recommendation with a deadline, and in which capacities one person hears about it. */
export interface RecommendationHeardOf {
  id: string;
  status: RecommendationStatus;
  actionPlanDueAt: Date;
  dueAt: Date;
  priority: boolean;
  inspectionId: string;
  organisationId: string;
  asLiaison: boolean;
  asLead: boolean;
  asManager: boolean;
}

export class RecipientsRepository {
  constructor(private readonly db: EntityManager) {}

  /** The active liaisons of one force. */
  liaisonsOf(organisationId: string): Promise<Recipient[]> {
    return this.recipients(
      `SELECT ${RECIPIENT_COLUMNS} FROM users u
         JOIN user_organisations uo ON uo.user_id = u.id
        WHERE uo.organisation_id = $1 AND u.role = 'liaison' AND u.active ORDER BY u.id`,
      [organisationId],
    );
  }

  /** Active managers who see a force: those of every force (chosen explicitly), and those who belong to it. */
  managersWhoSee(organisationId: string): Promise<Recipient[]> {
    return this.recipients(
      `SELECT ${RECIPIENT_COLUMNS} FROM users u
        WHERE u.role = 'manager' AND u.active AND ${managerSees('u', '$1')}
        ORDER BY u.id`,
      [organisationId],
    );
  }

  /**
   * The owner of a plan, when the owner named is an active user of the force: the `owner` text is their
   * email address or their full name (case and surrounding spaces ignored). Owners are usually written as
   * a post or a team ("Head of Public Protection"), which names nobody: then none.
   */
  ownersNamed(organisationId: string, owner: string | null): Promise<Recipient[]> {
    if (!owner || owner.trim() === '') return Promise.resolve([]);
    return this.recipients(
      `SELECT ${RECIPIENT_COLUMNS} FROM users u
         JOIN user_organisations uo ON uo.user_id = u.id
        WHERE uo.organisation_id = $1 AND u.active AND (lower(u.email) = lower(btrim($2)) OR lower(u.name) = lower(btrim($2)))
        ORDER BY u.id`,
      [organisationId, owner],
    );
  }

  /** One person as a recipient (a lead inspector, a newcomer), or null when they are not active. */
  async active(userId: string): Promise<Recipient | null> {
    const [recipient] = await this.recipients(`SELECT ${RECIPIENT_COLUMNS} FROM users u WHERE u.id = $1 AND u.active`, [
      userId,
    ]);
    return recipient ?? null;
  }

  /**
   * The next `limit` recommendations (by id, after `after`) with an active deadline that `userId` hears about.
   * `forces` narrows the scan (an index) unless `everyForce`; inspections they lead add to it.
   */
  heardOfBy(
    userId: string,
    scope: { everyForce: boolean; forces: readonly string[] },
    after: string,
    limit: number,
  ): Promise<RecommendationHeardOf[]> {
    return this.db.query(
      `SELECT r.id, r.status, r.action_plan_due_at AS "actionPlanDueAt", r.due_at AS "dueAt", r.priority,
              r.inspection_id AS "inspectionId", r.organisation_id AS "organisationId",
              ${liaisonOf('u', 'r.organisation_id')} AS "asLiaison",
              i.lead_inspector_id = u.id AS "asLead",
              (u.role = 'manager' AND ${managerSees('u', 'r.organisation_id')}) AS "asManager"
         FROM users u, recommendations r JOIN inspections i ON i.id = r.inspection_id
        WHERE u.id = $1 AND r.next_deadline_at IS NOT NULL AND NOT r.draft AND r.id > $2
          AND ($3 OR r.organisation_id = ANY($4::uuid[]) OR i.lead_inspector_id = $1)
          AND (${liaisonOf('u', 'r.organisation_id')} OR i.lead_inspector_id = u.id OR (u.role = 'manager' AND ${managerSees('u', 'r.organisation_id')}))
        ORDER BY r.id LIMIT ${Number(limit)}`,
      [userId, after, scope.everyForce, scope.forces],
    );
  }

  private recipients(sql: string, params: unknown[]): Promise<Recipient[]> {
    return this.db.query(sql, params);
  }
}
