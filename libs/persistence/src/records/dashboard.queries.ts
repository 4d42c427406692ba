// Reads behind the oversight dashboard: current counts per grouping set, closures in a period, and the monthly deltas.
import type { EntityManager } from 'typeorm';
import { DAY_SECONDS } from '#domain';

/** Which recommendations the figures count. */
export interface DashboardScope {
  /** The forces the actor sees. */
  visible: 'all' | readonly string[];
  organisationId?: string;
  programme?: string;
  /** An area; '' for recommendations without one. */
  area?: string;
}

/** The instants the figures are taken at. */
export interface DashboardMoments {
  now: Date;
  /** Where the overdue age bands start: overdue since under three, six and twelve months. */
  bands: { threeMonths: Date; sixMonths: Date; twelveMonths: Date };
  /** Open recommendations of reports published before this are "open over twelve months". */
  twelveMonthsAgo: Date;
  /** The period whose closures count. */
  from: Date;
  to: Date;
}

/**
 * One grouping set's counts: the GROUPING flags say which of organisation, programme and area it groups by (1: not).
 * band0..band3: overdue since under three, three to six, six to twelve, and over twelve months.
 */
export interface DashboardCountRow {
  organisationId: string | null;
  organisationName: string | null;
  programme: string | null;
  area: string | null;
  groupingOrganisation: number;
  groupingProgramme: number;
  groupingArea: number;
  open: number;
  overdue: number;
  closed: number;
  band0: number;
  band1: number;
  band2: number;
  band3: number;
  openOverTwelveMonths: number;
}

export interface DashboardClosureRow {
  closedInPeriod: number;
  implementedByDueDate: number;
  medianDaysToClosure: number | null;
}

/** A month's (YYYY-MM-01) change to the open and overdue counts. */
export interface DashboardDeltaRow {
  month: string;
  open: number;
  overdue: number;
}

export interface DashboardRows {
  counts: DashboardCountRow[];
  closures: DashboardClosureRow;
  deltas: DashboardDeltaRow[];
}

/** A filter on recommendations, as the same filter on the state counts. */
const onCounts = (condition: string): string =>
  condition.replace('r.area IS NULL', `s.area = ''`).replaceAll('r.', 's.');

export class DashboardQueries {
  constructor(private readonly db: EntityManager) {}

  /** The three queries behind the figures, run together. */
  async figures(filter: DashboardScope, moments: DashboardMoments): Promise<DashboardRows> {
    const { now, bands, from, to } = moments;
    // One pass over the recommendations: every group and every figure. $1..$n shared by both queries.
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const visible = filter.visible;
    if (visible !== 'all') where.push(`r.organisation_id = ANY(${param([...visible])}::uuid[])`);
    if (filter.organisationId) where.push(`r.organisation_id = ${param(filter.organisationId)}::uuid`);
    if (filter.programme) where.push(`i.programme = ${param(filter.programme)}`);
    if (filter.area !== undefined) where.push(filter.area === '' ? `r.area IS NULL` : `r.area = ${param(filter.area)}`);
    const scope = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const deltaScope = scope
      .replaceAll('r.organisation_id', 'd.organisation_id')
      .replaceAll('i.programme', 'd.programme')
      .replace('r.area IS NULL', `d.area = ''`)
      .replaceAll('r.area', 'd.area');

    // The current counts come from the state counts (a few rows per inspection, kept in step by every
    // change), first per (organisation, inspection, area), then up to every grouping set.
    const rowScope = where.filter((w) => !w.startsWith('i.'));
    const inspectionScope = where.filter((w) => w.startsWith('i.'));
    const countParams = [...params];
    const p = (value: unknown): string => `$${countParams.push(value)}`;
    const nowP = p(now);
    const countsSql = `
      WITH base AS (
        SELECT s.organisation_id, s.inspection_id, nullif(s.area, '') AS area,
               sum(s.n) FILTER (WHERE s.open) AS open,
               sum(s.n) FILTER (WHERE s.next_deadline_at < ${nowP}) AS overdue,
               sum(s.n) FILTER (WHERE NOT s.open) AS closed,
               sum(s.n) FILTER (WHERE s.next_deadline_at < ${nowP} AND s.next_deadline_at >= ${p(bands.threeMonths)}) AS band_0,
               sum(s.n) FILTER (WHERE s.next_deadline_at < ${p(bands.threeMonths)} AND s.next_deadline_at >= ${p(bands.sixMonths)}) AS band_1,
               sum(s.n) FILTER (WHERE s.next_deadline_at < ${p(bands.sixMonths)} AND s.next_deadline_at >= ${p(bands.twelveMonths)}) AS band_2,
               sum(s.n) FILTER (WHERE s.next_deadline_at < ${p(bands.twelveMonths)}) AS band_3
          FROM recommendation_state_counts s ${rowScope.length > 0 ? `WHERE ${rowScope.map(onCounts).join(' AND ')}` : ''}
         GROUP BY s.organisation_id, s.inspection_id, s.area
      )
      SELECT b.organisation_id AS "organisationId", min(o.name) AS "organisationName", i.programme, b.area,
             GROUPING(b.organisation_id)::int AS "groupingOrganisation", GROUPING(i.programme)::int AS "groupingProgramme",
             GROUPING(b.area)::int AS "groupingArea",
             coalesce(sum(b.open), 0)::int AS open, coalesce(sum(b.overdue), 0)::int AS overdue, coalesce(sum(b.closed), 0)::int AS closed,
             coalesce(sum(b.band_0), 0)::int AS band0, coalesce(sum(b.band_1), 0)::int AS band1,
             coalesce(sum(b.band_2), 0)::int AS band2, coalesce(sum(b.band_3), 0)::int AS band3,
             coalesce(sum(b.open) FILTER (WHERE i.published_at < ${p(moments.twelveMonthsAgo)}), 0)::int AS "openOverTwelveMonths"
        FROM base b
        JOIN inspections i ON i.id = b.inspection_id
        JOIN organisations o ON o.id = b.organisation_id
        ${inspectionScope.length > 0 ? `WHERE ${inspectionScope.join(' AND ')}` : ''}
       GROUP BY GROUPING SETS ((b.organisation_id), (i.programme), (b.area), ())`;
    // Closures in the period, through the partial index on closed_at: a small share of the rows.
    const closureParams = [...params];
    const c = (value: unknown): string => `$${closureParams.push(value)}`;
    const closuresSql = `
      SELECT count(*)::int AS "closedInPeriod",
             count(*) FILTER (WHERE r.outcome = 'implemented' AND r.closed_at <= r.due_at)::int AS "implementedByDueDate",
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - i.published_at) / ${DAY_SECONDS}) AS "medianDaysToClosure"
        FROM recommendations r JOIN inspections i ON i.id = r.inspection_id
       WHERE r.status = 'closed' AND r.closed_at >= ${c(from)} AND r.closed_at <= ${c(to)}${where.length > 0 ? ` AND ${where.join(' AND ')}` : ''}`;
    const monthsSql = `
      SELECT d.month::text AS month, sum(d.open_delta)::int AS open, sum(d.overdue_delta)::int AS overdue
        FROM recommendation_month_deltas d ${deltaScope}
       GROUP BY d.month ORDER BY d.month`;
    const [counts, [closures], deltas] = (await Promise.all([
      this.db.query(countsSql, countParams),
      this.db.query(closuresSql, closureParams),
      this.db.query(monthsSql, params),
    ])) as [DashboardCountRow[], DashboardClosureRow[], DashboardDeltaRow[]];
    return { counts, closures, deltas };
  }
}
