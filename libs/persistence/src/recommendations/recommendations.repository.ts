// Recommendations in storage: their pages and detail, the row a transition locks and writes, its evidence, lineage.
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { chunksOf } from '../chunks.js';
import { EvidenceEntity } from '../entities/evidence.entity.js';
import { RecommendationEntity } from '../entities/recommendation.entity.js';
import {
  HISTORY_PAGE_SQL,
  RECOMMENDATION_DETAIL_SQL,
  recommendationListQuery,
  recommendationListSql,
  type PositionedHistoryEntry,
  type RecommendationDetailRow,
  type RecommendationListRow,
  type RecommendationPageRequest,
} from './recommendation.queries.js';

/** Rows per INSERT statement when creating recommendations (well under PostgreSQL's 65,535 parameters). */
const INSERT_CHUNK = 1000;

/** The columns of a recommendation as issued; the database adds its id, version and timestamps. */
export type IssuedRecommendation = Pick<
  RecommendationEntity,
  | 'inspectionId'
  | 'organisationId'
  | 'reference'
  | 'text'
  | 'priority'
  | 'timeframe'
  | 'explicitDueAt'
  | 'dueAt'
  | 'actionPlanDueAt'
  | 'status'
  | 'area'
  | 'stateSince'
  | 'nextDeadlineAt'
  | 'draft'
>;

export type NewEvidence = Pick<
  EvidenceEntity,
  'recommendationId' | 'title' | 'url' | 'note' | 'submittedBy' | 'createdAt'
>;

/** The recommendation a closure names as superseding another, with its inspection's publication. */
export interface ReplacementCandidate {
  id: string;
  organisationId: string;
  inspectionId: string;
  publishedAt: Date;
}

export class RecommendationsRepository {
  constructor(private readonly db: EntityManager) {}

  /** Up to `page.limit` rows of the list, with the ids of those each supersedes. */
  listPage(page: RecommendationPageRequest): Promise<RecommendationListRow[]> {
    const { sql, params } = recommendationListSql(recommendationListQuery(page));
    return this.db.query(sql, params);
  }

  /** The recommendation with its evidence and its first `historyLimit` history entries. */
  async detail(id: string, historyLimit: number): Promise<RecommendationDetailRow | undefined> {
    const rows: RecommendationDetailRow[] = await this.db.query(RECOMMENDATION_DETAIL_SQL, [id, historyLimit, null]);
    return rows[0];
  }

  /** Up to `limit` history entries after chain position `afterSeq` (from the start when null). */
  async historyPage(
    id: string,
    afterSeq: string | null,
    limit: number,
  ): Promise<{ organisationId: string; draft: boolean; history: PositionedHistoryEntry[] } | undefined> {
    const rows: { organisationId: string; draft: boolean; history: PositionedHistoryEntry[] }[] = await this.db.query(
      HISTORY_PAGE_SQL,
      [id, limit, afterSeq],
    );
    return rows[0];
  }

  /** An inspection's recommendations in the order they were issued. */
  ofInspection(inspectionId: string): Promise<RecommendationEntity[]> {
    return this.db.find(RecommendationEntity, {
      where: { inspectionId },
      order: { createdAt: 'ASC', reference: 'ASC' },
    });
  }

  /** For each id, the ids of the recommendations it supersedes (that name it as `superseded_by_id`). */
  async supersedesOf(ids: readonly string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return result;
    const rows = await this.db.query<Array<{ id: string; supersededById: string }>>(
      `SELECT id, superseded_by_id AS "supersededById" FROM recommendations WHERE superseded_by_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    );
    for (const row of rows) result.get(row.supersededById)?.push(row.id);
    return result;
  }

  /** The recommendation as it is now, unlocked (a read that changes nothing); null when there is none. */
  get(id: string): Promise<RecommendationEntity | null> {
    return this.db.findOne(RecommendationEntity, { where: { id } });
  }

  /** The recommendation, locked until the transaction ends; null when there is none. */
  lockForUpdate(id: string): Promise<RecommendationEntity | null> {
    return this.db.findOne(RecommendationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** An inspection's recommendations, locked in id order (the lock order after the inspection's own). */
  lockOfInspection(inspectionId: string): Promise<RecommendationEntity[]> {
    return this.db.find(RecommendationEntity, {
      where: { inspectionId },
      lock: { mode: 'pessimistic_write' },
      order: { id: 'ASC' },
    });
  }

  async update(id: string, changes: QueryDeepPartialEntity<RecommendationEntity>): Promise<void> {
    await this.db.update(RecommendationEntity, { id }, changes);
  }

  /**
   * Inserts them a chunk per statement (one round trip per chunk, not per row); returns them with their generated
   * columns.
   */
  async insertAll(issued: readonly IssuedRecommendation[]): Promise<RecommendationEntity[]> {
    const recs = issued.map((r) => this.db.create(RecommendationEntity, r));
    for (const chunk of chunksOf(recs, INSERT_CHUNK)) {
      const result = await this.db.insert(RecommendationEntity, chunk);
      chunk.forEach((rec, i) => Object.assign(rec, result.generatedMaps[i]));
    }
    return recs;
  }

  /** Inserts the items; returns their ids in the same order. */
  async insertEvidence(evidence: readonly NewEvidence[]): Promise<string[]> {
    const result = await this.db.insert(EvidenceEntity, [...evidence]);
    return result.identifiers.map((i) => i.id as string);
  }

  /** The recommendation `id` names as a replacement, or null when there is none. */
  async replacementCandidate(id: string): Promise<ReplacementCandidate | null> {
    const [replacement] = await this.db.query<ReplacementCandidate[]>(
      `SELECT r.id, r.organisation_id AS "organisationId", r.inspection_id AS "inspectionId", i.published_at AS "publishedAt"
         FROM recommendations r JOIN inspections i ON i.id = r.inspection_id WHERE r.id = $1`,
      [id],
    );
    return replacement ?? null;
  }
}
