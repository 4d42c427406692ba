// The calendar feed's storage: each user's feed token (as its hash) and the open deadlines a feed lists.
import { IsNull, Not, type EntityManager } from 'typeorm';
import { Role, visibleOrganisations, type Actor } from '#domain';
import { UserEntity } from '../entities/user.entity.js';

/** An open deadline: a recommendation's due date, or an inspection's action plan or revisit. */
export interface DeadlineRow {
  kind: 'action_plan' | 'due_date' | 'revisit';
  subjectId: string;
  deadlineAt: Date;
  version: number;
  /** When the subject last changed: the event's DTSTAMP, stable while nothing changes. */
  updatedAt: Date;
  title: string;
  organisationName: string;
  reference: string | null;
  text: string | null;
  linkId: string;
}

export class CalendarRepository {
  constructor(private readonly db: EntityManager) {}

  /** Makes `tokenHash` the user's only feed token. */
  async replaceToken(userId: string, tokenHash: string): Promise<void> {
    await this.db.update(UserEntity, { id: userId }, { calendarTokenHash: tokenHash });
  }

  /** Whether the user has a feed token. */
  hasToken(userId: string): Promise<boolean> {
    return this.db.getRepository(UserEntity).exists({ where: { id: userId, calendarTokenHash: Not(IsNull()) } });
  }

  /** The id of the user whose feed token has `tokenHash`, or null. */
  async userIdByToken(tokenHash: string): Promise<string | null> {
    const user = await this.db
      .getRepository(UserEntity)
      .findOne({ where: { calendarTokenHash: tokenHash }, select: { id: true } });
    return user?.id ?? null;
  }

  /**
   * The first `limit` open deadlines in the actor's scope, soonest first: an inspector's own inspections, everyone
   * else's organisations; never a draft's.
   */
  deadlines(actor: Actor, limit: number): Promise<DeadlineRow[]> {
    const visible = visibleOrganisations(actor);
    // Both parameters appear in every form, so PostgreSQL can type them.
    const scope =
      actor.role === Role.Inspector
        ? 'i.lead_inspector_id = $1::uuid AND $2::uuid[] IS NOT NULL'
        : visible === 'all'
          ? '$1::uuid IS NOT NULL AND $2::uuid[] IS NOT NULL'
          : '$1::uuid IS NOT NULL AND i.organisation_id = ANY($2::uuid[])';
    return this.db.query(
      `WITH scoped AS (
         SELECT i.id, i.title, i.action_plan_due_at, i.revisit_due_at, i.version, i.updated_at, o.name AS organisation_name
           FROM inspections i JOIN organisations o ON o.id = i.organisation_id WHERE ${scope} AND NOT i.draft
       ), deadlines AS (
         SELECT 'due_date' AS kind, r.id AS "subjectId", r.due_at AS "deadlineAt", r.version, r.updated_at AS "updatedAt", s.title,
                s.organisation_name AS "organisationName", r.reference, r.text, r.id AS "linkId"
           FROM recommendations r JOIN scoped s ON s.id = r.inspection_id
          WHERE r.status IN ('issued', 'planned')
         UNION ALL
         SELECT 'action_plan', s.id, s.action_plan_due_at, s.version, s.updated_at, s.title, s.organisation_name, NULL, NULL, min(r.id::text)::uuid
           FROM scoped s JOIN recommendations r ON r.inspection_id = s.id AND r.status = 'issued'
          GROUP BY s.id, s.action_plan_due_at, s.version, s.updated_at, s.title, s.organisation_name
         UNION ALL
         SELECT 'revisit', s.id, s.revisit_due_at, s.version, s.updated_at, s.title, s.organisation_name, NULL, NULL, min(r.id::text)::uuid
           FROM scoped s JOIN recommendations r ON r.inspection_id = s.id AND r.status <> 'closed'
          GROUP BY s.id, s.revisit_due_at, s.version, s.updated_at, s.title, s.organisation_name
       )
       SELECT * FROM deadlines ORDER BY "deadlineAt", "subjectId" LIMIT ${Number(limit)}`,
      [actor.id, visible === 'all' ? [] : [...visible]],
    );
  }
}
