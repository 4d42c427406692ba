// The overdue list page: its GET filters read from the query, the rows, the selected-filter tags, the paging and the
// CSV link.
import { DateTime } from 'luxon';
import {
  OVERDUE_AGE_BANDS,
  type OverdueAgeBand,
  type OverdueFilter,
  type OverduePage,
  type OverdueRow,
} from '#application';
import { LONDON_ZONE } from '#domain';
import type { CsvColumn } from '../../shared/csv.js';
import { pageTitle } from '../page-title.js';
import { NO_RECENT_PROGRESS, londonDate, overdueReasonText, ragTag, statusTag, type Tag } from './format.js';
import { truncate } from './recommendation-table-row.js';
import { usableCursor } from './paging.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const OVERDUE_PAGE_SIZE = 50;

/** The filter form's values as the query string carries them; anything not recognised reads as empty. */
export interface OverdueFilterValues {
  force: string;
  inspection: string;
  reason: string;
  age: string;
  priority: string;
}

const REASONS: readonly { value: string; text: string }[] = [
  { value: 'action_plan', text: 'Action plan not submitted' },
  { value: 'due_date', text: 'Past its due date' },
];
const AGES: readonly { value: OverdueAgeBand; text: string }[] = [
  { value: 'under_3_months', text: 'Under 3 months' },
  { value: '3_to_6_months', text: '3 to 6 months' },
  { value: '6_to_12_months', text: '6 to 12 months' },
  { value: 'over_12_months', text: 'Over 12 months' },
];
const PRIORITIES: readonly { value: string; text: string }[] = [
  { value: 'yes', text: 'Priority only' },
  { value: 'no', text: 'Not priority' },
];

export interface OverdueRequest {
  values: OverdueFilterValues;
  filter: OverdueFilter;
  after?: string;
  before?: string;
}

function queryValue(query: unknown, name: string): string {
  const value = query !== null && typeof query === 'object' ? (query as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.trim() : '';
}

const oneOf = (value: string, allowed: readonly { value: string }[]): string =>
  allowed.some((a) => a.value === value) ? value : '';

export function readOverdueRequest(query: unknown): OverdueRequest {
  const values: OverdueFilterValues = {
    force: UUID.test(queryValue(query, 'force')) ? queryValue(query, 'force').toLowerCase() : '',
    inspection: UUID.test(queryValue(query, 'inspection')) ? queryValue(query, 'inspection').toLowerCase() : '',
    reason: oneOf(queryValue(query, 'reason'), REASONS),
    age: oneOf(queryValue(query, 'age'), AGES),
    priority: oneOf(queryValue(query, 'priority'), PRIORITIES),
  };
  const filter: OverdueFilter = {
    ...(values.force ? { organisationId: values.force } : {}),
    ...(values.inspection ? { inspectionId: values.inspection } : {}),
    ...(values.reason ? { reason: values.reason as OverdueFilter['reason'] } : {}),
    ...(values.age && (OVERDUE_AGE_BANDS as readonly string[]).includes(values.age)
      ? { ageBand: values.age as OverdueAgeBand }
      : {}),
    ...(values.priority ? { priority: values.priority === 'yes' } : {}),
  };
  // The overdue list's keyset: deadline, reference, id.
  const before = usableCursor(queryValue(query, 'before'), 3);
  const after = before ? undefined : usableCursor(queryValue(query, 'after'), 3);
  return { values, filter, ...(after ? { after } : {}), ...(before ? { before } : {}) };
}

/** `?force=…&reason=…` with the non-empty values (and any extra parameters), or '' when there are none. */
export function filterQuery(values: OverdueFilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...values, ...extra })) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface FilterChoices {
  organisations: { id: string; name: string }[];
  inspections: { id: string; title: string }[];
  moreInspections: boolean;
}

interface SelectItem {
  value: string;
  text: string;
  selected?: boolean;
  checked?: boolean;
}

const items = (all: string, options: readonly { value: string; text: string }[], current: string): SelectItem[] => [
  { value: '', text: all, ...(current === '' ? { selected: true, checked: true } : {}) },
  ...options.map((o) => ({
    value: o.value,
    text: o.text,
    ...(o.value === current ? { selected: true, checked: true } : {}),
  })),
];

export interface OverdueRowModel {
  href: string;
  reference: string;
  summary: string;
  status: Tag;
  owner: string;
  rag: Tag;
  priority: boolean;
  force: string;
  inspection: string;
  reason: string;
  deadline: string;
  daysOverdue: string;
  /** "No recent progress" when it applies. */
  flags: Tag[];
}

export function overdueRowModel(row: OverdueRow): OverdueRowModel {
  return {
    href: `/recommendations/${row.id}`,
    reference: row.reference,
    summary: truncate(row.text, 120),
    status: statusTag(row.status),
    owner: row.owner ?? '',
    rag: ragTag(row.rag),
    priority: row.priority,
    force: row.organisationName,
    inspection: row.inspectionTitle,
    reason: overdueReasonText(row.overdueReason),
    deadline: londonDate(row.deadlineAt),
    daysOverdue: row.daysOverdue.toLocaleString('en-GB'),
    flags: row.noRecentProgress ? [NO_RECENT_PROGRESS] : [],
  };
}

/** MoJ filter's "Selected filters": each tag links to the list without that filter. */
function selectedFilters(values: OverdueFilterValues, choices: FilterChoices) {
  const label: Record<keyof OverdueFilterValues, { heading: string; text: (value: string) => string }> = {
    force: { heading: 'Force', text: (v) => choices.organisations.find((o) => o.id === v)?.name ?? 'Chosen force' },
    inspection: {
      heading: 'Inspection',
      text: (v) => choices.inspections.find((i) => i.id === v)?.title ?? 'Chosen inspection',
    },
    reason: { heading: 'Reason', text: (v) => REASONS.find((r) => r.value === v)?.text ?? v },
    age: { heading: 'How long overdue', text: (v) => AGES.find((a) => a.value === v)?.text ?? v },
    priority: { heading: 'Priority', text: (v) => PRIORITIES.find((p) => p.value === v)?.text ?? v },
  };
  const categories = (Object.keys(label) as (keyof OverdueFilterValues)[])
    .filter((name) => values[name] !== '')
    .map((name) => ({
      heading: { text: label[name].heading },
      items: [{ href: `/overdue${filterQuery({ ...values, [name]: '' })}`, text: label[name].text(values[name]) }],
    }));
  return categories.length === 0
    ? null
    : { heading: { text: 'Selected filters' }, clearLink: { text: 'Clear filters', href: '/overdue' }, categories };
}

export function overdueModel(request: OverdueRequest, choices: FilterChoices, page: OverduePage, total: number) {
  const { values } = request;
  const inspections = [...choices.inspections];
  return {
    pageTitle: pageTitle('Overdue recommendations'),
    values,
    forceItems: items(
      'All forces',
      choices.organisations.map((o) => ({ value: o.id, text: o.name })),
      values.force,
    ),
    inspectionItems: items(
      'All inspections',
      inspections.map((i) => ({ value: i.id, text: i.title })),
      values.inspection,
    ),
    moreInspections: choices.moreInspections,
    reasonItems: items('Any reason', REASONS, values.reason),
    ageItems: items('Any age', AGES, values.age),
    priorityItems: items('Any', PRIORITIES, values.priority),
    selectedFilters: selectedFilters(values, choices),
    total,
    totalText: `${total.toLocaleString('en-GB')} overdue ${total === 1 ? 'recommendation' : 'recommendations'}${selectedFilters(values, choices) ? ' match these filters' : ''}`,
    rows: page.items.map(overdueRowModel),
    pagination:
      page.nextCursor || page.previousCursor
        ? {
            ...(page.previousCursor
              ? { previous: { href: `/overdue${filterQuery(values, { before: page.previousCursor })}` } }
              : {}),
            ...(page.nextCursor
              ? { next: { href: `/overdue${filterQuery(values, { after: page.nextCursor })}` } }
              : {}),
          }
        : null,
    csvHref: `/overdue.csv${filterQuery(values)}`,
  };
}

/**
 * The download's columns: what the page shows, with the deadline's London day as YYYY-MM-DD for spreadsheets, and the
 * page's address.
 */
export function overdueCsvColumns(baseUrl: string): CsvColumn<OverdueRow>[] {
  return [
    { header: 'Force', value: (r) => r.organisationName },
    { header: 'Inspection', value: (r) => r.inspectionTitle },
    { header: 'Reference', value: (r) => r.reference },
    { header: 'Recommendation', value: (r) => r.text },
    { header: 'Status', value: (r) => statusTag(r.status).text },
    { header: 'Owner', value: (r) => r.owner ?? '' },
    { header: 'RAG', value: (r) => (r.rag ? ragTag(r.rag).text : '') },
    { header: 'Priority', value: (r) => (r.priority ? 'yes' : 'no') },
    { header: 'Reason', value: (r) => overdueReasonText(r.overdueReason) },
    { header: 'Deadline', value: (r) => DateTime.fromISO(r.deadlineAt, { zone: LONDON_ZONE }).toISODate() },
    { header: 'Days overdue', value: (r) => r.daysOverdue },
    { header: 'Link', value: (r) => `${baseUrl}/recommendations/${r.id}` },
  ];
}
