// The overdue list's query for the web: the overdue rule of RecommendationsService.list with reason and age filters,
// two-way keyset paging and each row's names.
import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_STALE_AFTER,
  hasNoRecentProgress,
  overdueState,
  subtractDuration,
  type Actor,
  type OverdueReason,
} from '#domain';
import { Storage, type OverdueListFilter, type OverdueListRow } from '#persistence';
import { NotificationPlanner } from './notification-planner.js';
import { decodeCursor, encodeCursor } from './paging.js';
import { CLOCK, type Clock } from './tokens.js';

export const OVERDUE_AGE_BANDS = ['under_3_months', '3_to_6_months', '6_to_12_months', 'over_12_months'] as const;
export type OverdueAgeBand = (typeof OVERDUE_AGE_BANDS)[number];

export interface OverdueFilter {
  organisationId?: string;
  inspectionId?: string;
  reason?: OverdueReason;
  ageBand?: OverdueAgeBand;
  priority?: boolean;
}

/** Forward from `after`, backward from `before` (the cursors of a page's last and first rows), or the first page. */
export interface OverduePageRequest {
  after?: string;
  before?: string;
  limit: number;
}

export interface OverdueRow {
  id: string;
  reference: string;
  text: string;
  owner: string | null;
  rag: string | null;
  priority: boolean;
  status: string;
  organisationId: string;
  organisationName: string;
  inspectionId: string;
  inspectionTitle: string;
  /** The deadline missed first (the earliest active one), which the days are counted from. */
  deadlineAt: string;
  overdueReason: OverdueReason;
  daysOverdue: number;
  /** Planned, with no progress for STALE_AFTER. */
  noRecentProgress: boolean;
}

export interface OverduePage {
  items: OverdueRow[];
  /** Cursor after the last row, when more follow. */
  nextCursor: string | null;
  /** Cursor before the first row, when rows come before it. */
  previousCursor: string | null;
}

/**
 * The range of `next_deadline_at` for an age band: a recommendation's days overdue count from its earliest
 * active deadline, which is `next_deadline_at`, so each band is one index range. Months are calendar months
 * in London, as every other deadline.
 */
export function ageBandRange(band: OverdueAgeBand, now: Date): { after?: Date; atOrBefore?: Date } {
  const monthsAgo = (months: number) => subtractDuration(now, `P${months}M`);
  switch (band) {
    case 'under_3_months':
      return { after: monthsAgo(3) };
    case '3_to_6_months':
      return { after: monthsAgo(6), atOrBefore: monthsAgo(3) };
    case '6_to_12_months':
      return { after: monthsAgo(12), atOrBefore: monthsAgo(6) };
    case 'over_12_months':
      return { atOrBefore: monthsAgo(12) };
  }
}

/** Forces and inspections to offer as filters; more inspections than this are not listed (filter by force first). */
export const INSPECTION_CHOICES_LIMIT = 200;

@Injectable()
export class OverdueListQuery {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly planner: NotificationPlanner,
  ) {}

  /**
   * One page, most overdue first. Overdue is RecommendationsService.list's rule (the earliest active deadline,
   * `next_deadline_at`, has passed), so the order is one scan of its index; each row's reason and days come
   * from the domain's overdueState.
   */
  async page(actor: Actor, filter: OverdueFilter, request: OverduePageRequest): Promise<OverduePage> {
    const now = this.clock.now();
    const backward = request.before !== undefined && request.before !== '';
    const cursor = decodeCursor(backward ? request.before : request.after, ['timestamp', 'text', 'uuid']);
    const raw = await this.storage.pool.overdueList.rows(actor, listFilter(filter, now), now, {
      key: cursor,
      backward,
      limit: request.limit + 1,
    });
    const more = raw.length > request.limit;
    const rows = raw
      .slice(0, request.limit)
      .map((row) => toRow(row, now, this.planner.settings.staleAfter ?? DEFAULT_STALE_AFTER));
    if (backward) rows.reverse();
    const first = rows.at(0);
    const last = rows.at(-1);
    const hasNext = backward ? true : more;
    const hasPrevious = backward ? more : cursor !== null;
    return {
      items: rows,
      nextCursor: hasNext && last ? encodeCursor([last.deadlineAt, last.reference, last.id]) : null,
      previousCursor: hasPrevious && first ? encodeCursor([first.deadlineAt, first.reference, first.id]) : null,
    };
  }

  /** How many overdue recommendations the filter matches, across every page. */
  count(actor: Actor, filter: OverdueFilter): Promise<number> {
    const now = this.clock.now();
    return this.storage.pool.overdueList.count(actor, listFilter(filter, now), now);
  }

  /** Every row of the filter, a page at a time (keyset), for a streamed download. */
  async *pages(actor: Actor, filter: OverdueFilter, limit = 1000): AsyncGenerator<OverdueRow[]> {
    let after: string | undefined;
    do {
      const page = await this.page(actor, filter, { after, limit });
      if (page.items.length > 0) yield page.items;
      after = page.nextCursor ?? undefined;
    } while (after);
  }

  /** The forces the actor sees and, for the chosen force (or all when few), its inspections. */
  async filterChoices(actor: Actor, organisationId: string | undefined) {
    const overdueList = this.storage.pool.overdueList;
    const [orgRows, inspectionRows] = await Promise.all([
      overdueList.visibleOrganisations(actor),
      overdueList.visibleInspections(actor, organisationId, INSPECTION_CHOICES_LIMIT + 1),
    ]);
    return {
      organisations: orgRows.map((o) => ({ id: o.id, name: o.name })),
      inspections: inspectionRows.slice(0, INSPECTION_CHOICES_LIMIT).map((i) => ({ id: i.id, title: i.title })),
      moreInspections: inspectionRows.length > INSPECTION_CHOICES_LIMIT,
    };
  }
}

/** The filter as bounds on the overdue rows: an age band is a range of the earliest active deadline. */
function listFilter(filter: OverdueFilter, now: Date): OverdueListFilter {
  const range = filter.ageBand ? ageBandRange(filter.ageBand, now) : {};
  return {
    organisationId: filter.organisationId,
    inspectionId: filter.inspectionId,
    reason: filter.reason,
    priority: filter.priority,
    deadlineAfter: range.after,
    deadlineAtOrBefore: range.atOrBefore,
  };
}

function toRow(row: OverdueListRow, now: Date, staleAfter: string): OverdueRow {
  const state = overdueState({ status: row.status, actionPlanDueAt: row.actionPlanDueAt, dueAt: row.dueAt }, now);
  return {
    id: row.id,
    reference: row.reference,
    text: row.text,
    owner: row.owner,
    rag: row.rag,
    priority: row.priority,
    status: row.status,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    inspectionId: row.inspectionId,
    inspectionTitle: row.inspectionTitle,
    deadlineAt: row.nextDeadlineAt.toISOString(),
    // A row is here because its earliest deadline passed, so the domain always finds it overdue.
    overdueReason: state.overdueReason ?? 'due_date',
    daysOverdue: state.daysOverdue ?? 0,
    noRecentProgress: hasNoRecentProgress({ status: row.status, progressAt: row.progressAt }, now, staleAfter),
  };
}
