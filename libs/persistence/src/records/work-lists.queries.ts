// Reads behind the web pages' lists of work: recommendations with their names, revisits, overdue per force, names by id.
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '#domain';
import { InspectionEntity } from '../entities/inspection.entity.js';
import { OrganisationEntity } from '../entities/organisation.entity.js';
import { RecommendationEntity } from '../entities/recommendation.entity.js';
import { onlyVisible } from '../store/visibility.js';

/** A recommendation in a list of work, with the names shown beside it. */
export interface WorkRow {
  recommendation: RecommendationEntity;
  inspectionTitle: string;
  organisationName: string;
}

export interface WorkRevisitRow {
  id: string;
  title: string;
  revisit_due_at: Date;
  organisation_name: string;
  open: string;
}

export interface WorkOverdueCountRow {
  organisation_id: string;
  organisation_name: string;
  overdue: string;
}

export interface WorkInspectionCountRow {
  inspection_id: string;
  open: string;
  overdue: string;
}

type Shape = (q: SelectQueryBuilder<RecommendationEntity>) => SelectQueryBuilder<RecommendationEntity>;

/**
 * Each list is one statement, limited to `limit` rows the actor may see, joined with the names shown
 * beside each row (never a query per row).
 */
export class WorkListQueries {
  constructor(private readonly db: EntityManager) {}

  /** Recommendations whose earliest active deadline passed before `now`, most overdue first; only `leadInspectorId`'s inspections when given. */
  overdue(actor: Actor, now: Date, limit: number, leadInspectorId?: string): Promise<WorkRow[]> {
    return this.list(actor, limit, (q) =>
      ledBy(q, leadInspectorId).andWhere('r.nextDeadlineAt < :now', { now }).orderBy('r.nextDeadlineAt', 'ASC').addOrderBy('r.id', 'ASC'),
    );
  }

  /** Recommendations whose earliest active deadline falls in [now, soon), soonest first. */
  dueSoon(actor: Actor, now: Date, soon: Date, limit: number): Promise<WorkRow[]> {
    return this.list(actor, limit, (q) =>
      q.andWhere('r.nextDeadlineAt >= :now AND r.nextDeadlineAt < :soon', { now, soon }).orderBy('r.nextDeadlineAt', 'ASC').addOrderBy('r.id', 'ASC'),
    );
  }

  /** Planned recommendations whose latest workflow step was the inspector's return (the force has not acted since), longest waiting first. */
  returned(actor: Actor, limit: number): Promise<WorkRow[]> {
    return this.list(actor, limit, (q) =>
      q
        .andWhere(`r.status = 'planned'`)
        .andWhere(
          `(SELECT a.action FROM audit_events a WHERE a.entity_type = 'recommendation' AND a.entity_id = r.id AND a.action NOT LIKE 'recommendation.%' ORDER BY a.seq DESC LIMIT 1) = 'return'`,
        )
        .orderBy('r.updatedAt', 'ASC')
        .addOrderBy('r.id', 'ASC'),
    );
  }

  /** Closures proposed on `leadInspectorId`'s inspections, longest waiting first. */
  awaitingReview(actor: Actor, leadInspectorId: string, limit: number): Promise<WorkRow[]> {
    return this.list(actor, limit, (q) => ledBy(q, leadInspectorId).andWhere(`r.status = 'closure_proposed'`).orderBy('r.updatedAt', 'ASC').addOrderBy('r.id', 'ASC'));
  }

  /** `leadInspectorId`'s inspections with a revisit due from `now`, soonest first, with their recommendations in `openStatuses`. */
  revisitsComingUp(leadInspectorId: string, now: Date, openStatuses: readonly string[], limit: number): Promise<WorkRevisitRow[]> {
    return this.db.query(
      `SELECT i.id, i.title, i.revisit_due_at, o.name AS organisation_name,
              (SELECT count(*) FROM recommendations r WHERE r.inspection_id = i.id AND r.status = ANY($3)) AS open
         FROM inspections i JOIN organisations o ON o.id = i.organisation_id
        WHERE i.lead_inspector_id = $1 AND i.revisit_due_at >= $2
        ORDER BY i.revisit_due_at, i.id LIMIT $4`,
      [leadInspectorId, now, openStatuses, limit],
    );
  }

  /** Overdue recommendations per visible force, most first. */
  overdueByOrganisation(actor: Actor, now: Date): Promise<WorkOverdueCountRow[]> {
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
    return query.getRawMany<WorkOverdueCountRow>();
  }

  /** Per inspection, its recommendations in `openStatuses` and those overdue at `now`, in one grouped query. */
  inspectionCounts(inspectionIds: readonly string[], openStatuses: readonly string[], now: Date): Promise<WorkInspectionCountRow[]> {
    return this.db.query(
      `SELECT inspection_id,
              count(*) FILTER (WHERE status = ANY($2)) AS open,
              count(*) FILTER (WHERE next_deadline_at < $3) AS overdue
         FROM recommendations WHERE inspection_id = ANY($1) GROUP BY inspection_id`,
      [inspectionIds, openStatuses, now],
    );
  }

  private async list(actor: Actor, limit: number, shape: Shape): Promise<WorkRow[]> {
    const query = this.db
      .getRepository(RecommendationEntity)
      .createQueryBuilder('r')
      .innerJoin(InspectionEntity, 'i', 'i.id = r.inspectionId')
      .innerJoin(OrganisationEntity, 'o', 'o.id = r.organisationId')
      .addSelect(['i.title AS inspection_title', 'o.name AS organisation_name'])
      .limit(limit);
    onlyVisible(query, 'r.organisationId', actor);
    const { entities, raw } = await shape(query).getRawAndEntities<{ inspection_title: string; organisation_name: string }>();
    // getRawAndEntities keeps the order of both; the raw rows carry the joined names.
    return entities.map((recommendation, i) => ({ recommendation, inspectionTitle: raw[i].inspection_title, organisationName: raw[i].organisation_name }));
  }
}

const ledBy = (q: SelectQueryBuilder<RecommendationEntity>, leadInspectorId: string | undefined) =>
  leadInspectorId === undefined ? q : q.andWhere('i.leadInspectorId = :me', { me: leadInspectorId });
