// The oversight figures across forces: counts, ageing, closure record and the two-year open/overdue line.
import { Inject, Injectable } from '@nestjs/common';
import {
  AGE_BANDS,
  ageBandBoundaries,
  endOfLondonMonth,
  invalidInput,
  londonMonth,
  monthsBetween,
  subtractDuration,
  visibleOrganisations,
  type Actor,
  type AgeBand,
} from '#domain';
import { Storage, type DashboardCountRow, type DashboardDeltaRow } from '#persistence';
import { CLOCK, type Clock } from '../tokens.js';

export interface DashboardFilter {
  organisationId?: string;
  programme?: string;
  /** An area; '' for recommendations without one. */
  area?: string;
  /**
   * The period reported on: the chart's months, and the closures the closure figures count. Default: the last 24
   * months.
   */
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

@Injectable()
export class DashboardService {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async figures(actor: Actor, filter: DashboardFilter): Promise<Dashboard> {
    const now = this.clock.now();
    const to = filter.to && filter.to < now ? filter.to : now;
    const from = filter.from ?? subtractDuration(new Date(endOfLondonMonth(londonMonth(to)).getTime() - 1), 'P23M');
    if (from > to) throw invalidInput('from must not be after to');
    const bands = ageBandBoundaries(now);

    const {
      counts: rows,
      closures,
      deltas,
    } = await this.storage.pool.dashboard.figures(
      {
        visible: visibleOrganisations(actor),
        organisationId: filter.organisationId,
        programme: filter.programme,
        area: filter.area,
      },
      { now, bands, twelveMonthsAgo: subtractDuration(now, 'P12M'), from, to },
    );

    const total = rows.find((r) => r.groupingOrganisation && r.groupingProgramme && r.groupingArea);
    const counts = (r: DashboardCountRow | undefined): DashboardCounts => ({
      open: r?.open ?? 0,
      overdue: r?.overdue ?? 0,
      closed: r?.closed ?? 0,
    });
    const group = (
      pick: (r: DashboardCountRow) => boolean,
      key: (r: DashboardCountRow) => string,
      label: (r: DashboardCountRow) => string,
    ): DashboardGroup[] =>
      rows
        .filter(pick)
        .map((r) => ({ key: key(r), label: label(r), ...counts(r) }))
        .sort((a, b) => b.overdue - a.overdue || b.open - a.open || a.label.localeCompare(b.label));
    const closed = closures.closedInPeriod;
    const implemented = closures.implementedByDueDate;

    return {
      asOf: now.toISOString(),
      filter: {
        organisationId: filter.organisationId ?? null,
        programme: filter.programme ?? null,
        area: filter.area ?? null,
        from: from.toISOString(),
        to: to.toISOString(),
      },
      totals: counts(total),
      byOrganisation: group(
        (r) => !r.groupingOrganisation,
        (r) => r.organisationId!,
        (r) => r.organisationName ?? '',
      ),
      byProgramme: group(
        (r) => !r.groupingProgramme,
        (r) => r.programme!,
        (r) => r.programme!,
      ),
      byArea: group(
        (r) => !r.groupingArea,
        (r) => r.area ?? '',
        (r) => r.area ?? 'No area',
      ),
      overdueByAge: Object.fromEntries(
        AGE_BANDS.map((band, i) => [band, (total?.[`band${i}` as 'band0'] as number) ?? 0]),
      ) as Record<AgeBand, number>,
      closedInPeriod: closed,
      implementedByDueDate: implemented,
      implementedByDueDateShare: closed === 0 ? null : implemented / closed,
      medianDaysToClosure:
        closures.medianDaysToClosure == null ? null : Math.round(Number(closures.medianDaysToClosure) * 10) / 10,
      openOverTwelveMonths: total?.openOverTwelveMonths ?? 0,
      months: monthPoints(deltas, from, to, now, counts(total)),
    };
  }
}

/**
 * The count at each month's end is the running sum of the deltas up to that month. The current month
 * has not ended: its point is now, which the live counts give exactly.
 */
function monthPoints(
  deltas: readonly DashboardDeltaRow[],
  from: Date,
  to: Date,
  now: Date,
  live: DashboardCounts,
): DashboardPoint[] {
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
