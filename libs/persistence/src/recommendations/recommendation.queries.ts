// The read path of recommendations as plain SQL: one round trip per request and no entity hydration.
import { ageBandBoundaries, type AgeBand } from '#domain';
import type { RecommendationEntity } from '../entities/recommendation.entity.js';

/** A recommendation as its entity describes it, read without hydration (timestamptz as Date, date as `YYYY-MM-DD`). */
export type RecommendationRecord = { [K in keyof RecommendationEntity]: RecommendationEntity[K] };

/** Every column of `recommendations r`, aliased to the entity's property names. */
const RECOMMENDATION_COLUMNS = `r.id, r.inspection_id AS "inspectionId", r.organisation_id AS "organisationId", r.reference, r.text,
  r.priority, r.timeframe, r.explicit_due_at AS "explicitDueAt", r.due_at AS "dueAt", r.action_plan_due_at AS "actionPlanDueAt",
  r.next_deadline_at AS "nextDeadlineAt", r.status, r.outcome, r.response, r.owner, r.actions, r.target_date AS "targetDate",
  r.rag, r.area, r.superseded_by_id AS "supersededById", r.closed_at AS "closedAt", r.state_since AS "stateSince", r.progress_at AS "progressAt",
  r.draft, r.version, r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

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
 * the recommendations it supersedes as JSON arrays, in one statement: the reads see one snapshot, and the request waits
 * for one round trip.
 */
export const RECOMMENDATION_DETAIL_SQL = `SELECT ${RECOMMENDATION_COLUMNS},
  (SELECT coalesce(json_agg(json_build_object('id', e.id, 'title', e.title, 'url', e.url, 'note', e.note,
            'submittedBy', e.submitted_by, 'createdAt', ${iso('e.created_at')},
            'fileIds', (SELECT coalesce(json_agg(c.file_id ORDER BY c.file_id), '[]'::json) FROM evidence_item_files c WHERE c.evidence_id = e.id)) ORDER BY e.created_at), '[]'::json)
     FROM evidence e WHERE e.recommendation_id = r.id) AS evidence,
  ${HISTORY_SUBQUERY},
  ${SUPERSEDES_SUBQUERY}
  FROM recommendations r WHERE r.id = $1`;

/** One page of a recommendation's history after position `$3`, with the owning organisation for the scope check. */
export const HISTORY_PAGE_SQL = `SELECT r.organisation_id AS "organisationId", r.draft, ${HISTORY_SUBQUERY} FROM recommendations r WHERE r.id = $1`;

export interface EvidenceView {
  id: string;
  title: string;
  url: string | null;
  note: string | null;
  submittedBy: string;
  createdAt: string;
  /** The evidence files the item cites. */
  fileIds: string[];
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
export type RecommendationListRow = RecommendationRecord & { supersedes: string[] };

export type RecommendationDetailRow = RecommendationListRow & {
  evidence: EvidenceView[];
  history: PositionedHistoryEntry[];
};

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
  /** The keyset: the column the page is ordered by, then the reference (natural order) and the id, ascending. */
  orderBy: 'next_deadline_at' | 'created_at';
  limit: number;
}

/**
 * The page's statement and its parameters (also run by the load benchmark's raw-pg baseline): one round trip, lineage
 * included.
 */
export function recommendationListSql(q: RecommendationListQuery): { sql: string; params: unknown[] } {
  const limit = q.conditions.params.length + 1;
  return {
    sql: `SELECT ${RECOMMENDATION_COLUMNS}, ${SUPERSEDES_SUBQUERY} FROM recommendations r ${q.conditions.where()} ORDER BY r.${q.orderBy}, r.reference, r.id LIMIT $${limit}`,
    params: [...q.conditions.params, q.limit],
  };
}

export interface RecommendationFilter {
  organisationId?: string;
  inspectionId?: string;
  status?: string;
  overdue?: boolean;
  priority?: boolean;
  dueBefore?: Date;
  area?: string;
  programme?: string;
  /** true: not closed; false: closed. */
  open?: boolean;
  /** Overdue, in this band of how long ago its deadline passed (as the dashboard counts). */
  ageBand?: AgeBand;
  /** Of inspections published before this. */
  publishedBefore?: Date;
  /** Planned, with no progress since this moment ("No recent progress"). */
  progressBefore?: Date;
  /**
   * Published inspections only, even for a reader who sees drafts (the dashboard's drill-down counts published work).
   */
  publishedOnly?: boolean;
}

/** A page of the list: whose rows, in which order, after which row. */
export interface RecommendationPageRequest {
  filter: RecommendationFilter;
  /** The organisations the reader may see. */
  visible: 'all' | readonly string[];
  /** Whether the reader sees recommendations of draft inspections (inspectorate staff); left out when absent. */
  drafts?: boolean;
  /** The keyset, ascending with the id: the active deadline (most overdue first) or the creation time. */
  order: 'nextDeadlineAt' | 'createdAt';
  /** The previous page's last row: its order key (an ISO timestamp), its reference and its id. */
  after: readonly string[] | null;
  /** The time "overdue" and the age bands are measured at. */
  now: Date;
  /** Rows to read. */
  limit: number;
}

const ORDER_COLUMNS = { nextDeadlineAt: 'next_deadline_at', createdAt: 'created_at' } as const;

/** The filter as conditions on `recommendations r`, each value a parameter. */
export function recommendationListQuery(page: RecommendationPageRequest): RecommendationListQuery {
  const { filter, now } = page;
  const where = new SqlConditions();
  if (page.visible !== 'all') where.add('r.organisation_id = ANY(?1::uuid[])', [...page.visible]);
  // A draft's deadlines are not running: it is never in an overdue list, and only inspectorate staff see it at all.
  if (page.drafts !== true || filter.publishedOnly === true || filter.overdue === true) where.add('NOT r.draft');
  if (filter.organisationId) where.add('r.organisation_id = ?1', filter.organisationId);
  if (filter.inspectionId) where.add('r.inspection_id = ?1', filter.inspectionId);
  if (filter.status) where.add('r.status = ?1', filter.status);
  if (filter.priority !== undefined) where.add('r.priority = ?1', filter.priority);
  if (filter.dueBefore) where.add('r.due_at < ?1', filter.dueBefore);
  if (filter.area !== undefined) {
    if (filter.area === '') where.add('r.area IS NULL');
    else where.add('r.area = ?1', filter.area);
  }
  if (filter.open !== undefined) where.add(filter.open ? `r.status <> 'closed'` : `r.status = 'closed'`);
  if (filter.ageBand) {
    const b = ageBandBoundaries(now);
    const [bandAfter, bandBefore] = {
      under_3_months: [b.threeMonths, now],
      '3_to_6_months': [b.sixMonths, b.threeMonths],
      '6_to_12_months': [b.twelveMonths, b.sixMonths],
      over_12_months: [null, b.twelveMonths],
    }[filter.ageBand];
    where.add('r.next_deadline_at < ?1', bandBefore);
    if (bandAfter) where.add('r.next_deadline_at >= ?1', bandAfter);
  }
  if (filter.progressBefore) where.add(`r.status = 'planned' AND r.progress_at <= ?1`, filter.progressBefore);
  if (filter.publishedBefore)
    where.add(
      'r.inspection_id IN (SELECT pi.id FROM inspections pi WHERE pi.published_at < ?1)',
      filter.publishedBefore,
    );
  if (filter.programme)
    where.add('r.inspection_id IN (SELECT i.id FROM inspections i WHERE i.programme = ?1)', filter.programme);
  // next_deadline_at is the earliest deadline still active: overdue means it has passed.
  if (filter.overdue !== undefined)
    where.add(
      filter.overdue ? 'r.next_deadline_at < ?1' : '(r.next_deadline_at IS NULL OR r.next_deadline_at >= ?1)',
      now,
    );
  const orderBy = ORDER_COLUMNS[page.order];
  if (page.after)
    where.add(
      `(r.${orderBy}, r.reference, r.id) > (?1::timestamptz, ?2::text, ?3::uuid)`,
      page.after[0],
      page.after[1],
      page.after[2],
    );
  return { conditions: where, orderBy, limit: page.limit };
}
