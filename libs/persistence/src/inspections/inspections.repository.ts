// Inspections in storage: their pages, the row a date change locks and writes, and creation.
import { In, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import type { Actor } from '#domain';
import { InspectionEntity } from '../entities/inspection.entity.js';
import { RecommendationEntity } from '../entities/recommendation.entity.js';
import { onlyVisible } from '../store/visibility.js';

/** The columns of an inspection as created; the database adds its id, version and timestamps. */
export type NewInspection = Pick<
  InspectionEntity,
  | 'organisationId'
  | 'title'
  | 'programme'
  | 'publishedAt'
  | 'leadInspectorId'
  | 'actionPlanDueAt'
  | 'actionPlanDueExplicit'
  | 'revisitDueAt'
  | 'revisitDueExplicit'
  | 'draft'
>;

export class InspectionsRepository {
  constructor(private readonly db: EntityManager) {}

  /** Up to `limit` inspections `actor` may see, newest first, after the keyset `after` (creation time, id). */
  listPage(
    actor: Actor,
    filter: { organisationId?: string; drafts?: boolean },
    after: readonly string[] | null,
    limit: number,
  ): Promise<InspectionEntity[]> {
    const query = this.db
      .getRepository(InspectionEntity)
      .createQueryBuilder('i')
      .orderBy('i.createdAt', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .limit(limit);
    onlyVisible(query, 'i.organisationId', actor);
    if (filter.drafts !== true) query.andWhere('NOT i.draft');
    if (filter.organisationId)
      query.andWhere('i.organisationId = :organisationId', { organisationId: filter.organisationId });
    if (after) query.andWhere('(i.createdAt, i.id) < (:createdAt, :id)', { createdAt: after[0], id: after[1] });
    return query.getMany();
  }

  findById(id: string): Promise<InspectionEntity | null> {
    return this.db.findOneBy(InspectionEntity, { id });
  }

  /** The inspection of an existing recommendation (there always is one). */
  /** Titles by id (one query), for showing inspections beside recommendations. */
  async titles(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.db
      .getRepository(InspectionEntity)
      .find({ where: { id: In([...ids]) }, select: { id: true, title: true } });
    return new Map(rows.map((i) => [i.id, i.title]));
  }

  get(id: string): Promise<InspectionEntity> {
    return this.db.findOneByOrFail(InspectionEntity, { id });
  }

  /** The inspection, locked until the transaction ends (before its recommendations); null when there is none. */
  lockForUpdate(id: string): Promise<InspectionEntity | null> {
    return this.db.findOne(InspectionEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Inserts it; returns it with its generated columns. */
  insert(inspection: NewInspection): Promise<InspectionEntity> {
    return this.db.save(this.db.create(InspectionEntity, inspection));
  }

  async update(id: string, changes: QueryDeepPartialEntity<InspectionEntity>): Promise<void> {
    await this.db.update(InspectionEntity, { id }, changes);
  }

  /** Publishes a draft (the caller holds its lock and its recommendations'): they leave draft together. */
  async publish(id: string, version: number, now: Date): Promise<void> {
    await this.db.update(InspectionEntity, { id }, { draft: false, version, updatedAt: now });
    await this.db.update(RecommendationEntity, { inspectionId: id }, { draft: false, updatedAt: now });
  }
}
