// The oversight figures across forces: counts, ageing, closure record and the two-year open/overdue line.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AGE_BANDS, DAY_SECONDS, ageBandBoundaries, endOfLondonMonth, invalidInput, londonMonth, monthsBetween, subtractDuration, visibleOrganisations, type Actor, type AgeBand } from '#domain';
import { CLOCK, type Clock } from '../tokens.js';

export interface DashboardFilter {
  organisationId?: string;
  programme?: string;
  /** An area; '' for recommendations without one. */
  area?: string;
  /** The period reported on: the chart's months, and the closures the closure figures count. Default: the last 24 months. */
  from?: Date;
  to?: Date;
}

export interface DashboardCounts {
  open: number;
  overdue: number;
  closed: number;
}
export interface DashboardGroup extends DashboardCounts {
  /** The organisation id, the programme, or the area ('' for none). */
  key: string;
  label: string;
}
export interface DashboardPoint {
  month: string;
  /** The instant counted: the month's end, or now for the current month. */
  at: string;
  open: number;
  overdue: number;
}
export interface Dashboard {
  asOf: string;
  filter: { organisationId: string | null; programme: string | null; area: string | null; from: string; to: string };
  totals: DashboardCounts;
  byOrganisation: DashboardGroup[];
  byProgramme: DashboardGroup[];
  byArea: DashboardGroup[];
  overdueByAge: Record<AgeBand, number>;
  /** Closed within the period. */
  closedInPeriod: number;
  /** Of those, implemented on or before their due date. */
  implementedByDueDate: number;
  /** implementedByDueDate / closedInPeriod, 0..1; null when nothing closed. */
  implementedByDueDateShare: number | null;
  /** Median days from the report's publication to closure, for closures in the period; null when none. */
  medianDaysToClosure: number | null;
  openOverTwelveMonths: number;
  months: DashboardPoint[];
}

interface CountRow {
  organisation_id: string | null;
  organisation_name: string | null;
  programme: string | null;
  area: string | null;
  g_org: number;
  g_programme: number;
  g_area: number;
  open: number;
  overdue: number;
  closed: number;
  band_0: number;
  band_1: number;
  band_2: number;
  band_3: number;
  open_over_12: number;
}

interface ClosureRow {
  closed_in_period: number;
  implemented_by_due: number;
  median_days: number | null;
}

/** A filter on recommendations, as the same filter on the state counts. */
const onCounts = (condition: string): string => condition.replace('r.area IS NULL', `s.area = ''`).replaceAll('r.', 's.');

@Injectable()
export class DashboardService {
  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async figures(actor: Actor, filter: DashboardFilter): Promise<Dashboard> {
    const now = this.clock.now();
    const to = filter.to && filter.to < now ? filter.to : now;
    const from = filter.from ?? subtractDuration(new Date(endOfLondonMonth(londonMonth(to)).getTime() - 1), 'P23M');
    if (from > to) throw invalidInput('from must not be after to');
    const bands = ageBandBoundaries(now);

    // One pass over the recommendations: every group and every figure. $1..$n shared by both queries.
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => `$${params.push(value)}`;
    const visible = visibleOrganisations(actor);
    if (visible !== 'all') where.push(`r.organisation_id = ANY(${param([...visible])}::uuid[])`);
    if (filter.organisationId) where.push(`r.organisation_id = ${param(filter.organisationId)}::uuid`);
    if (filter.programme) where.push(`i.programme = ${param(filter.programme)}`);
    if (filter.area !== undefined) where.push(filter.area === '' ? `r.area IS NULL` : `r.area = ${param(filter.area)}`);
    const scope = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const deltaScope = scope.replaceAll('r.organisation_id', 'd.organisation_id').replaceAll('i.programme', 'd.programme').replace('r.area IS NULL', `d.area = ''`).replaceAll('r.area', 'd.area');

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
      SELECT b.organisation_id, min(o.name) AS organisation_name, i.programme, b.area,
             GROUPING(b.organisation_id)::int AS g_org, GROUPING(i.programme)::int AS g_programme, GROUPING(b.area)::int AS g_area,
             coalesce(sum(b.open), 0)::int AS open, coalesce(sum(b.overdue), 0)::int AS overdue, coalesce(sum(b.closed), 0)::int AS closed,
             coalesce(sum(b.band_0), 0)::int AS band_0, coalesce(sum(b.band_1), 0)::int AS band_1,
             coalesce(sum(b.band_2), 0)::int AS band_2, coalesce(sum(b.band_3), 0)::int AS band_3,
             coalesce(sum(b.open) FILTER (WHERE i.published_at < ${p(subtractDuration(now, 'P12M'))}), 0)::int AS open_over_12
        FROM base b
        JOIN inspections i ON i.id = b.inspection_id
        JOIN organisations o ON o.id = b.organisation_id
        ${inspectionScope.length > 0 ? `WHERE ${inspectionScope.join(' AND ')}` : ''}
       GROUP BY GROUPING SETS ((b.organisation_id), (i.programme), (b.area), ())`;
    // Closures in the period, through the partial index on closed_at: a small share of the rows.
    const closureParams = [...params];
    const c = (value: unknown): string => `$${closureParams.push(value)}`;
    const closuresSql = `
      SELECT count(*)::int AS closed_in_period,
             count(*) FILTER (WHERE r.outcome = 'implemented' AND r.closed_at <= r.due_at)::int AS implemented_by_due,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.closed_at - i.published_at) / ${DAY_SECONDS}) AS median_days
        FROM recommendations r JOIN inspections i ON i.id = r.inspection_id
       WHERE r.status = 'closed' AND r.closed_at >= ${c(from)} AND r.closed_at <= ${c(to)}${where.length > 0 ? ` AND ${where.join(' AND ')}` : ''}`;
    const monthsSql = `
      SELECT d.month::text AS month, sum(d.open_delta)::int AS open, sum(d.overdue_delta)::int AS overdue
        FROM recommendation_month_deltas d ${deltaScope}
       GROUP BY d.month ORDER BY d.month`;
    const [rows, [closures], deltas] = (await Promise.all([
      this.db.query(countsSql, countParams),
      this.db.query(closuresSql, closureParams),
      this.db.query(monthsSql, params),
    ])) as [CountRow[], ClosureRow[], Array<{ month: string; open: number; overdue: number }>];

    const total = rows.find((r) => r.g_org && r.g_programme && r.g_area);
    const counts = (r: CountRow | undefined): DashboardCounts => ({ open: r?.open ?? 0, overdue: r?.overdue ?? 0, closed: r?.closed ?? 0 });
    const group = (pick: (r: CountRow) => boolean, key: (r: CountRow) => string, label: (r: CountRow) => string): DashboardGroup[] =>
      rows
        .filter(pick)
        .map((r) => ({ key: key(r), label: label(r), ...counts(r) }))
        .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.label.localeCompare(b.label));
    const closed = closures.closed_in_period;
    const implemented = closures.implemented_by_due;

    return {
      asOf: now.toISOString(),
      filter: { organisationId: filter.organisationId ?? null, programme: filter.programme ?? null, area: filter.area ?? null, from: from.toISOString(), to: to.toISOString() },
      totals: counts(total),
      byOrganisation: group((r) => !r.g_org, (r) => r.organisation_id!, (r) => r.organisation_name ?? ''),
      byProgramme: group((r) => !r.g_programme, (r) => r.programme!, (r) => r.programme!),
      byArea: group((r) => !r.g_area, (r) => r.area ?? '', (r) => r.area ?? 'No area'),
      overdueByAge: Object.fromEntries(AGE_BANDS.map((band, i) => [band, (total?.[`band_${i}` as 'band_0'] as number) ?? 0])) as Record<AgeBand, number>,
      closedInPeriod: closed,
      implementedByDueDate: implemented,
      implementedByDueDateShare: closed === 0 ? null : implemented / closed,
      medianDaysToClosure: closures.median_days == null ? null : Math.round(Number(closures.median_days) * 10) / 10,
      openOverTwelveMonths: total?.open_over_12 ?? 0,
      months: monthPoints(deltas, from, to, now, counts(total)),
    };
  }
}

/**
 * The count at each month's end is the running sum of the deltas up to that month. The current month
 * has not ended: its point is now, which the live counts give exactly.
 */
function monthPoints(deltas: readonly { month: string; open: number; overdue: number }[], from: Date, to: Date, now: Date, live: DashboardCounts): DashboardPoint[] {
  const currentMonth = londonMonth(now);
  let open = 0;
  let overdue = 0;
  let next = 0;
  return monthsBetween(from, to).map((month) => {
    while (next < deltas.length && deltas[next].month <= month) {
      open += deltas[next].open;
      overdue += deltas[next].overdue;
      next += 1;
    }
    if (month === currentMonth) return { month, at: now.toISOString(), open: live.open, overdue: live.overdue };
    return { month, at: endOfLondonMonth(month).toISOString(), open, overdue };
  });
}
