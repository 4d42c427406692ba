// The dashboard page's view model: figures, SVG charts and the tables beside them, every figure linked to its list.
import type { Dashboard, DashboardFilter, DashboardGroup } from '#application';
import { AGE_BANDS, type AgeBand } from '#domain';
import { DateTime } from 'luxon';
import { LONDON_ZONE } from '#domain';
import { pageTitle } from '../../page-title.js';
import { CHART_COLOURS, barChart, lineChart } from './svg-charts.js';

export const AGE_BAND_LABELS: Record<AgeBand, string> = {
  under_3_months: 'Under 3 months',
  '3_to_6_months': '3 to 6 months',
  '6_to_12_months': '6 to 12 months',
  over_12_months: 'Over 12 months',
};

export type ListState = 'open' | 'overdue' | 'closed';

/** The list behind a figure: `/dashboard/list` with the page's filters and the figure's own. */
export function listHref(filter: DashboardFilter, extra: Record<string, string>): string {
  const params = new URLSearchParams();
  if (filter.organisationId) params.set('organisationId', filter.organisationId);
  if (filter.programme) params.set('programme', filter.programme);
  if (filter.area !== undefined) params.set('area', filter.area);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return `/dashboard/list?${params.toString()}`;
}

interface Option {
  value: string;
  text: string;
  selected?: boolean;
}

const monthLabel = (month: string) =>
  DateTime.fromISO(month, { zone: LONDON_ZONE }).setLocale('en-GB').toFormat('MMM yyyy');

export function dashboardModel(
  dashboard: Dashboard,
  filter: DashboardFilter,
  organisations: { id: string; name: string }[],
  periodMonths: string[],
) {
  const groupRows = (groups: DashboardGroup[], key: 'organisationId' | 'programme' | 'area') =>
    groups.map((g) => ({
      label: g.label,
      open: { value: g.open, href: listHref({ ...filter, [key]: g.key }, { state: 'open' }) },
      overdue: { value: g.overdue, href: listHref({ ...filter, [key]: g.key }, { state: 'overdue' }) },
      closed: { value: g.closed, href: listHref({ ...filter, [key]: g.key }, { state: 'closed' }) },
    }));
  const share = dashboard.implementedByDueDateShare;
  const months = dashboard.months.map((p) => ({ label: monthLabel(p.month), open: p.open, overdue: p.overdue }));
  const option = (value: string, text: string, current: string | undefined): Option => ({
    value,
    text,
    selected: value === (current ?? ''),
  });
  const topForces = dashboard.byOrganisation.slice(0, 15);
  return {
    pageTitle: pageTitle('Dashboard'),
    asOf: DateTime.fromISO(dashboard.asOf, { zone: LONDON_ZONE })
      .setLocale('en-GB')
      .toFormat("d MMMM yyyy 'at' h:mma")
      .replace(/AM|PM/, (m) => m.toLowerCase()),
    filters: {
      organisations: [
        option('', 'All forces', filter.organisationId),
        ...organisations.map((o) => option(o.id, o.name, filter.organisationId)),
      ],
      programmes: [
        option('', 'All programmes', filter.programme),
        ...dashboard.byProgramme.map((g) => option(g.key, g.label, filter.programme)),
      ],
      areas: [
        { value: '*', text: 'All areas', selected: filter.area === undefined },
        ...dashboard.byArea.map((g) => ({ value: g.key, text: g.label, selected: filter.area === g.key })),
      ],
      from: periodMonths.map((m) => ({ value: m, text: monthLabel(m), selected: m === dashboard.months[0]?.month })),
      to: periodMonths.map((m) => ({ value: m, text: monthLabel(m), selected: m === dashboard.months.at(-1)?.month })),
    },
    headline: [
      {
        label: 'Open',
        value: dashboard.totals.open.toLocaleString('en-GB'),
        href: listHref(filter, { state: 'open' }),
      },
      {
        label: 'Overdue',
        value: dashboard.totals.overdue.toLocaleString('en-GB'),
        href: listHref(filter, { state: 'overdue' }),
      },
      {
        label: 'Closed',
        value: dashboard.totals.closed.toLocaleString('en-GB'),
        href: listHref(filter, { state: 'closed' }),
      },
      {
        label: 'Open more than 12 months',
        value: dashboard.openOverTwelveMonths.toLocaleString('en-GB'),
        href: listHref(filter, { state: 'open', openedBefore: 'P12M' }),
      },
      {
        label: 'Closed in the period and implemented by their due date',
        value:
          share === null
            ? 'None closed'
            : `${Math.round(share * 100)}% (${dashboard.implementedByDueDate} of ${dashboard.closedInPeriod})`,
        href: listHref(filter, { state: 'closed' }),
      },
      {
        label: 'Median days from report to closure',
        value:
          dashboard.medianDaysToClosure === null
            ? 'None closed'
            : Math.round(dashboard.medianDaysToClosure).toLocaleString('en-GB'),
        href: listHref(filter, { state: 'closed' }),
      },
    ],
    byOrganisation: groupRows(dashboard.byOrganisation, 'organisationId'),
    byProgramme: groupRows(dashboard.byProgramme, 'programme'),
    byArea: groupRows(dashboard.byArea, 'area'),
    ageBands: AGE_BANDS.map((band) => ({
      label: AGE_BAND_LABELS[band],
      value: dashboard.overdueByAge[band],
      href: listHref(filter, { state: 'overdue', ageBand: band }),
    })),
    months,
    charts: {
      months: lineChart(
        'chart-months',
        'Open and overdue recommendations at the end of each month',
        `From ${months[0]?.label ?? ''} to ${months.at(-1)?.label ?? ''}; the table below the chart gives every point.`,
        months.map((m) => m.label),
        [
          { name: 'Open', colour: CHART_COLOURS.blue, values: months.map((m) => m.open) },
          { name: 'Overdue', colour: CHART_COLOURS.red, values: months.map((m) => m.overdue) },
        ],
      ),
      ageBands: barChart(
        'chart-age',
        'Overdue recommendations by how long ago their deadline passed',
        'The table beside the chart gives the same figures.',
        [{ name: 'Overdue', colour: CHART_COLOURS.red }],
        AGE_BANDS.map((band) => ({ label: AGE_BAND_LABELS[band], values: [dashboard.overdueByAge[band]] })),
      ),
      forces: barChart(
        'chart-forces',
        `Open and overdue recommendations by force${dashboard.byOrganisation.length > topForces.length ? ` (the ${topForces.length} with most overdue)` : ''}`,
        'The table beside the chart gives the figures of every force.',
        [
          { name: 'Open', colour: CHART_COLOURS.blue },
          { name: 'Overdue', colour: CHART_COLOURS.red },
        ],
        topForces.map((g) => ({ label: g.label, values: [g.open, g.overdue] })),
      ),
    },
  };
}
