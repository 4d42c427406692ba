// Read-only queries behind the web pages' lists: My work per role, counts per inspection, names beside ids.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import { DAY_MS, Role, type Actor } from '#domain';
import { InspectionEntity, OrganisationEntity, RecommendationEntity, UserEntity } from '#persistence';
import { CLOCK, type Clock } from './tokens.js';
import { recommendationView, type RecommendationView } from './views.js';
import { onlyVisible } from './visibility.js';

/** A recommendation in a list of work, with the names a person needs to recognise it. */
export interface WorkItem extends RecommendationView {
  organisationName: string;
  inspectionTitle: string;
}

/** A list of at most `limit` items, and whether more lie beyond it. */
export interface WorkList {
  items: WorkItem[];
  more: boolean;
}

export interface RevisitItem {
  inspectionId: string;
  title: string;
  organisationName: string;
  revisitDueAt: string;
  openRecommendations: number;
}

export interface OverdueByOrganisation {
  organisationId: string;
  organisationName: string;
  overdue: number;
}

export type MyWork =
  | { role: typeof Role.Liaison; overdue: WorkList; dueSoon: WorkList; returned: WorkList; dueSoonDays: number }
  | { role: typeof Role.Inspector; awaitingReview: WorkList; revisits: RevisitItem[]; overdue: WorkList }
  | { role: typeof Role.Manager | typeof Role.Admin; overdueByOrganisation: OverdueByOrganisation[]; totalOverdue: number; oldest: WorkList };

export interface InspectionCounts {
  open: number;
  overdue: number;
}

export const DUE_SOON_DAYS = 14;
export const WORK_LIST_LIMIT = 20;
const OPEN = ['issued', 'planned', 'closure_proposed'];

/**
 * Read-only queries for the web pages' lists: each one statement (or one per list), limited, joined
 * with the names shown beside each row (never a query per row).
 */
@Injectable()
export class WorkQueries {
  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** "My work": what the actor's role should look at first. */
  async myWork(actor: Actor, limit = WORK_LIST_LIMIT): Promise<MyWork> {
    const now = this.clock.now();
    switch (actor.role) {
      case Role.Liaison: {
        const soon = new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS);
        const [overdue, dueSoon, returned] = await Promise.all([
          this.list(actor, now, limit, (q) => q.andWhere('r.nextDeadlineAt < :now', { now }).orderBy('r.nextDeadlineAt', 'ASC').addOrderBy('r.id', 'ASC')),
          this.list(actor, now, limit, (q) =>
            q.andWhere('r.nextDeadlineAt >= :now AND r.nextDeadlineAt < :soon', { now, soon }).orderBy('r.nextDeadlineAt', 'ASC').addOrderBy('r.id', 'ASC'),
          ),
          // Returned: the latest workflow step was the inspector's return, and the force has not acted since.
          this.list(actor, now, limit, (q) =>
            q
              .andWhere(`r.status = 'planned'`)
              .andWhere(
                `(SELECT a.action FROM audit_events a WHERE a.entity_type = 'recommendation' AND a.entity_id = r.id AND a.action NOT LIKE 'recommendation.%' ORDER BY a.seq DESC LIMIT 1) = 'return'`,
              )
              .orderBy('r.updatedAt', 'ASC')
              .addOrderBy('r.id', 'ASC'),
          ),
        ]);
        return { role: Role.Liaison, overdue, dueSoon, returned, dueSoonDays: DUE_SOON_DAYS };
      }
      case Role.Inspector: {
        const mine = (q: SelectQueryBuilder<RecommendationEntity>) => q.andWhere('i.leadInspectorId = :me', { me: actor.id });
        const [awaitingReview, revisits, overdue] = await Promise.all([
          this.list(actor, now, limit, (q) => mine(q).andWhere(`r.status = 'closure_proposed'`).orderBy('r.updatedAt', 'ASC').addOrderBy('r.id', 'ASC')),
          this.revisitsComingUp(actor, now, limit),
          this.list(actor, now, limit, (q) => mine(q).andWhere('r.nextDeadlineAt < :now', { now }).orderBy('r.nextDeadlineAt', 'ASC').addOrderBy('r.id', 'ASC')),
        ]);
        return { role: Role.Inspector, awaitingReview, revisits, overdue };
      }
      default: {
        const [overdueByOrganisation, oldest] = await Promise.all([
          this.overdueByOrganisation(actor, now),
          this.list(actor, now, limit, (q) => q.andWhere('r.nextDeadlineAt < :now', { now }).orderBy('r.nextDeadlineAt', 'ASC').addOrderBy('r.id', 'ASC')),
        ]);
        const totalOverdue = overdueByOrganisation.reduce((sum, o) => sum + o.overdue, 0);
        return { role: actor.role, overdueByOrganisation, totalOverdue, oldest };
      }
    }
  }

  /** Open and overdue recommendations of each inspection, in one grouped query. */
  async inspectionCounts(inspectionIds: readonly string[]): Promise<Map<string, InspectionCounts>> {
    if (inspectionIds.length === 0) return new Map();
    const rows: { inspection_id: string; open: string; overdue: string }[] = await this.db.query(
      `SELECT inspection_id,
              count(*) FILTER (WHERE status = ANY($2)) AS open,
              count(*) FILTER (WHERE next_deadline_at < $3) AS overdue
         FROM recommendations WHERE inspection_id = ANY($1) GROUP BY inspection_id`,
      [inspectionIds, OPEN, this.clock.now()],
    );
    return new Map(rows.map((r) => [r.inspection_id, { open: Number(r.open), overdue: Number(r.overdue) }]));
  }

  /** Names by id, for showing people and organisations beside ids (one query each). */
  async userNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
    if (wanted.length === 0) return new Map();
    const users = await this.db.getRepository(UserEntity).find({ where: { id: In(wanted) }, select: { id: true, name: true } });
    return new Map(users.map((u) => [u.id, u.name]));
  }

  async organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const orgs = await this.db.getRepository(OrganisationEntity).find({ where: { id: In(wanted) }, select: { id: true, name: true } });
    return new Map(orgs.map((o) => [o.id, o.name]));
  }

  /** The inspection a visible recommendation belongs to; the caller has already checked the recommendation's scope. */
  async inspectionOf(inspectionId: string): Promise<InspectionEntity> {
    return this.db.getRepository(InspectionEntity).findOneByOrFail({ id: inspectionId });
  }

  private async list(actor: Actor, now: Date, limit: number, shape: (q: SelectQueryBuilder<RecommendationEntity>) => SelectQueryBuilder<RecommendationEntity>): Promise<WorkList> {
    const query = this.db
      .getRepository(RecommendationEntity)
      .createQueryBuilder('r')
      .innerJoin(InspectionEntity, 'i', 'i.id = r.inspectionId')
      .innerJoin(OrganisationEntity, 'o', 'o.id = r.organisationId')
      .addSelect(['i.title AS inspection_title', 'o.name AS organisation_name'])
      .limit(limit + 1);
    onlyVisible(query, 'r.organisationId', actor);
    const { entities, raw } = await shape(query).getRawAndEntities<{ inspection_title: string; organisation_name: string }>();
    // getRawAndEntities keeps the order of both; the raw rows carry the joined names.
    const items = entities.slice(0, limit).map((rec, i) => ({
      ...recommendationView(rec, actor, now),
      inspectionTitle: raw[i].inspection_title,
      organisationName: raw[i].organisation_name,
    }));
    return { items, more: entities.length > limit };
  }

  private async revisitsComingUp(actor: Actor, now: Date, limit: number): Promise<RevisitItem[]> {
    const rows: { id: string; title: string; revisit_due_at: Date; organisation_name: string; open: string }[] = await this.db.query(
      `SELECT i.id, i.title, i.revisit_due_at, o.name AS organisation_name,
              (SELECT count(*) FROM recommendations r WHERE r.inspection_id = i.id AND r.status = ANY($3)) AS open
         FROM inspections i JOIN organisations o ON o.id = i.organisation_id
        WHERE i.lead_inspector_id = $1 AND i.revisit_due_at >= $2
        ORDER BY i.revisit_due_at, i.id LIMIT $4`,
      [actor.id, now, OPEN, limit],
    );
    return rows.map((r) => ({ inspectionId: r.id, title: r.title, organisationName: r.organisation_name, revisitDueAt: new Date(r.revisit_due_at).toISOString(), openRecommendations: Number(r.open) }));
  }

  private async overdueByOrganisation(actor: Actor, now: Date): Promise<OverdueByOrganisation[]> {
    const query = this.db
      .getRepository(RecommendationEntity)
      .createQueryBuilder('r')
      .innerJoin(OrganisationEntity, 'o', 'o.id = r.organisationId')
      .select('r.organisationId', 'organisation_id')
      .addSelect('o.name', 'organisation_name')
      .addSelect('count(*)', 'overdue')
      .where('r.nextDeadlineAt < :now', { now })
      .groupBy('r.organisationId')
      .addGroupBy('o.name')
      .orderBy('overdue', 'DESC')
      .addOrderBy('o.name', 'ASC');
    onlyVisible(query, 'r.organisationId', actor);
    const rows = await query.getRawMany<{ organisation_id: string; organisation_name: string; overdue: string }>();
    return rows.map((r) => ({ organisationId: r.organisation_id, organisationName: r.organisation_name, overdue: Number(r.overdue) }));
  }
}
