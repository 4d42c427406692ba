// The read path of recommendations as plain SQL: one round trip per request and no entity hydration.
import type { DataSource } from 'typeorm';
import type { RecommendationEntity } from '#persistence';

/** A recommendation row in the entity's shape (camelCase, timestamptz as Date, date as `YYYY-MM-DD`). */
export type RecommendationRow = { [K in keyof RecommendationEntity]: RecommendationEntity[K] };

/** Every column of `recommendations r`, aliased to the entity's property names. */
const RECOMMENDATION_COLUMNS = `r.id, r.inspection_id AS "inspectionId", r.organisation_id AS "organisationId", r.reference, r.text,
  r.priority, r.timeframe, r.explicit_due_at AS "explicitDueAt", r.due_at AS "dueAt", r.action_plan_due_at AS "actionPlanDueAt",
  r.next_deadline_at AS "nextDeadlineAt", r.status, r.outcome, r.response, r.owner, r.actions, r.target_date AS "targetDate",
  r.rag, r.area, r.superseded_by_id AS "supersededById", r.closed_at AS "closedAt", r.state_since AS "stateSince",
  r.version, r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

/** A timestamptz(3) as `Date.prototype.toISOString()` writes it, so JSON built in SQL matches the entity views. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** History entries a recommendation's detail carries; the rest are a page away (docs/contract-extensions.md). */
export const HISTORY_IN_DETAIL = 200;

/** History entries as JSON objects, oldest first, with the position and id that make a page's cursor. */
const HISTORY_SUBQUERY = `(SELECT coalesce(json_agg(h.entry ORDER BY h.seq), '[]'::json) FROM (
     SELECT a.seq, json_build_object('seq', a.seq::text, 'id', a.id, 'at', ${iso('a.at')}, 'actorId', a.actor_id, 'action', a.action,
            'fromStatus', a.from_status, 'toStatus', a.to_status, 'comment', a.comment, 'changes', a.changes) AS entry
       FROM audit_events a
      WHERE a.entity_type = 'recommendation' AND a.entity_id = r.id AND a.seq > coalesce($3::bigint, 0)
      ORDER BY a.seq LIMIT $2) h) AS history`;

/** The ids of the recommendations `r` supersedes, oldest first (a probe of the partial index on superseded_by_id). */
const SUPERSEDES_SUBQUERY = `(SELECT coalesce(json_agg(s.id ORDER BY s.created_at, s.id), '[]'::json) FROM recommendations s WHERE s.superseded_by_id = r.id) AS supersedes`;

/**
 * The row with its evidence (oldest first), the first `$2` entries of its history (chain order) and the ids of
 * the recommendations it supersedes as JSON arrays, in one statement: the reads see one snapshot, and the request waits for one round trip.
 */
export const RECOMMENDATION_DETAIL_SQL = `SELECT ${RECOMMENDATION_COLUMNS},
  (SELECT coalesce(json_agg(json_build_object('id', e.id, 'title', e.title, 'url', e.url, 'note', e.note,
            'submittedBy', e.submitted_by, 'createdAt', ${iso('e.created_at')}) ORDER BY e.created_at), '[]'::json)
     FROM evidence e WHERE e.recommendation_id = r.id) AS evidence,
  ${HISTORY_SUBQUERY},
  ${SUPERSEDES_SUBQUERY}
  FROM recommendations r WHERE r.id = $1`;

/** One page of a recommendation's history after position `$3`, with the owning organisation for the scope check. */
const HISTORY_PAGE_SQL = `SELECT r.organisation_id AS "organisationId", ${HISTORY_SUBQUERY} FROM recommendations r WHERE r.id = $1`;

export interface EvidenceView {
  id: string;
  title: string;
  url: string | null;
  note: string | null;
  submittedBy: string;
  createdAt: string;
}

export interface HistoryEntry {
  at: string;
  actorId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  changes: Record<string, unknown>;
}

export type PositionedHistoryEntry = HistoryEntry & { seq: string; id: string };

/** A list row: the recommendation and the ids of those it supersedes. */
export type RecommendationListRow = RecommendationRow & { supersedes: string[] };

export type RecommendationDetailRow = RecommendationListRow & { evidence: EvidenceView[]; history: PositionedHistoryEntry[] };

/** The recommendation with its evidence and its first `historyLimit` history entries. */
export async function selectRecommendationDetail(db: DataSource, id: string, historyLimit: number): Promise<RecommendationDetailRow | undefined> {
  const rows: RecommendationDetailRow[] = await db.query(RECOMMENDATION_DETAIL_SQL, [id, historyLimit, null]);
  return rows[0];
}

/** Up to `limit` history entries after chain position `afterSeq` (from the start when null). */
export async function selectHistoryPage(
  db: DataSource,
  id: string,
  afterSeq: string | null,
  limit: number,
): Promise<{ organisationId: string; history: PositionedHistoryEntry[] } | undefined> {
  const rows: { organisationId: string; history: PositionedHistoryEntry[] }[] = await db.query(HISTORY_PAGE_SQL, [id, limit, afterSeq]);
  return rows[0];
}

/** A WHERE clause built condition by condition, each value a numbered parameter. */
export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  /** `sql` refers to its values as `?1`, `?2`… in the order given. */
  add(sql: string, ...values: unknown[]): this {
    const first = this.params.length;
    this.params.push(...values);
    this.conditions.push(sql.replace(/\?(\d+)/g, (_, n: string) => `$${first + Number(n)}`));
    return this;
  }

  where(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

export interface RecommendationListQuery {
  conditions: SqlConditions;
  /** The keyset: column pair the page is ordered by, ascending. */
  orderBy: 'next_deadline_at' | 'created_at';
  limit: number;
}

/** The page's statement and its parameters (also run by the load benchmark's raw-pg baseline): one round trip, lineage included. */
export function recommendationListSql(q: RecommendationListQuery): { sql: string; params: unknown[] } {
  const limit = q.conditions.params.length + 1;
  return {
    sql: `SELECT ${RECOMMENDATION_COLUMNS}, ${SUPERSEDES_SUBQUERY} FROM recommendations r ${q.conditions.where()} ORDER BY r.${q.orderBy}, r.id LIMIT $${limit}`,
    params: [...q.conditions.params, q.limit],
  };
}

export async function selectRecommendations(db: DataSource, q: RecommendationListQuery): Promise<RecommendationListRow[]> {
  const { sql, params } = recommendationListSql(q);
  return db.query(sql, params);
}
