// Reads behind the overdue list: overdue recommendations filtered and keyset-paged by deadline, and the filters'
// choices.
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { RecommendationStatus, type Actor, type OverdueReason } from '#domain';
import { InspectionEntity } from '../entities/inspection.entity.js';
import { OrganisationEntity } from '../entities/organisation.entity.js';
import { RecommendationEntity } from '../entities/recommendation.entity.js';
import { onlyVisible } from '../store/visibility.js';

/** Narrows the overdue recommendations; the deadline bounds apply to `next_deadline_at`. */
export interface OverdueListFilter {
  organisationId?: string;
  inspectionId?: string;
  reason?: OverdueReason;
  priority?: boolean;
  deadlineAfter?: Date;
  deadlineAtOrBefore?: Date;
}

/**
 * Up to `limit` rows after (or, `backward`, before) the row keyed `[next_deadline_at, reference, id]`, or from the
 * start.
 */
export interface OverdueListSeek {
  key: readonly string[] | null;
  backward: boolean;
  limit: number;
}

export interface OverdueListRow {
  id: string;
  reference: string;
  text: string;
  owner: string | null;
  rag: string | null;
  priority: boolean;
  status: RecommendationStatus;
  organisationId: string;
  organisationName: string;
  inspectionId: string;
  inspectionTitle: string;
  nextDeadlineAt: Date;
  actionPlanDueAt: Date;
  dueAt: Date;
  progressAt: Date | null;
}

export class OverdueListQueries {
  constructor(private readonly db: EntityManager) {}

  /**
   * Visible recommendations whose earliest active deadline (`next_deadline_at`) passed before `now`, in
   * deadline order (descending when seeking backward): one scan of its index.
   */
  rows(actor: Actor, filter: OverdueListFilter, now: Date, seek: OverdueListSeek): Promise<OverdueListRow[]> {
    const query = this.filtered(actor, filter, now).limit(seek.limit);
    if (seek.key)
      query.andWhere(`(r.next_deadline_at, r.reference, r.id) ${seek.backward ? '<' : '>'} (:t, :ref, :id)`, {
        t: seek.key[0],
        ref: seek.key[1],
        id: seek.key[2],
      });
    const direction = seek.backward ? 'DESC' : 'ASC';
    query.orderBy('r.next_deadline_at', direction).addOrderBy('r.reference', direction).addOrderBy('r.id', direction);
    return query.getRawMany<OverdueListRow>();
  }

  /** How many visible overdue recommendations the filter matches (what the page says above its rows). */
  async count(actor: Actor, filter: OverdueListFilter, now: Date): Promise<number> {
    const row = await this.filtered(actor, filter, now).select('count(*)::int', 'n').getRawOne<{ n: number }>();
    return row?.n ?? 0;
  }

  /** The forces the actor sees, by name. */
  visibleOrganisations(actor: Actor): Promise<OrganisationEntity[]> {
    return onlyVisible(
      this.db
        .getRepository(OrganisationEntity)
        .createQueryBuilder('o')
        .select(['o.id', 'o.name'])
        .orderBy('o.name', 'ASC')
        .addOrderBy('o.id', 'ASC'),
      'o.id',
      actor,
    ).getMany();
  }

  /** Up to `limit` published inspections the actor sees (of one force when given), by title. */
  visibleInspections(actor: Actor, organisationId: string | undefined, limit: number): Promise<InspectionEntity[]> {
    const inspections = onlyVisible(
      this.db
        .getRepository(InspectionEntity)
        .createQueryBuilder('i')
        .select(['i.id', 'i.title'])
        .orderBy('i.title', 'ASC')
        .addOrderBy('i.id', 'ASC')
        .limit(limit),
      'i.organisationId',
      actor,
    );
    inspections.andWhere('NOT i.draft');
    if (organisationId) inspections.andWhere('i.organisationId = :organisationId', { organisationId });
    return inspections.getMany();
  }

  private filtered(actor: Actor, filter: OverdueListFilter, now: Date): SelectQueryBuilder<RecommendationEntity> {
    const query = this.db
      .getRepository(RecommendationEntity)
      .createQueryBuilder('r')
      .innerJoin(OrganisationEntity, 'o', 'o.id = r.organisation_id')
      .innerJoin(InspectionEntity, 'i', 'i.id = r.inspection_id')
      .select([
        'r.id AS id',
        'r.reference AS reference',
        'r.text AS text',
        'r.owner AS owner',
        'r.rag AS rag',
        'r.priority AS priority',
        'r.status AS status',
        'r.organisation_id AS "organisationId"',
        'o.name AS "organisationName"',
        'r.inspection_id AS "inspectionId"',
        'i.title AS "inspectionTitle"',
        'r.next_deadline_at AS "nextDeadlineAt"',
        'r.action_plan_due_at AS "actionPlanDueAt"',
        'r.due_at AS "dueAt"',
        'r.progress_at AS "progressAt"',
      ])
      .where('r.next_deadline_at < :now', { now })
      // A draft's deadlines are not running yet (nothing is sent): the overdue list is of published work only.
      .andWhere('NOT r.draft');
    onlyVisible(query, 'r.organisation_id', actor);
    if (filter.organisationId)
      query.andWhere('r.organisation_id = :organisationId', { organisationId: filter.organisationId });
    if (filter.inspectionId) query.andWhere('r.inspection_id = :inspectionId', { inspectionId: filter.inspectionId });
    if (filter.priority !== undefined) query.andWhere('r.priority = :priority', { priority: filter.priority });
    if (filter.reason) {
      // overdueState's rule: a missed action plan (status issued, plan deadline passed) is the reason whenever it
      // applies.
      const planMissed = '(r.status = :issued AND r.action_plan_due_at < :now)';
      query.andWhere(filter.reason === 'action_plan' ? planMissed : `NOT ${planMissed}`, {
        issued: RecommendationStatus.Issued,
      });
    }
    if (filter.deadlineAfter) query.andWhere('r.next_deadline_at > :bandAfter', { bandAfter: filter.deadlineAfter });
    if (filter.deadlineAtOrBefore)
      query.andWhere('r.next_deadline_at <= :bandAtOrBefore', { bandAtOrBefore: filter.deadlineAtOrBefore });
    return query;
  }
}
