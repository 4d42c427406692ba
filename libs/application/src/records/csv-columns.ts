// The columns of the CSV downloads, and a generator turning pages of rows into CSV rows.
import { DateTime } from 'luxon';
import { LONDON_ZONE } from '#domain';
import type { RecommendationView } from '../views.js';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

export const csvHeader = <T>(columns: readonly CsvColumn<T>[]): string[] => columns.map((c) => c.header);

/** Each page of `pages` as CSV rows (cell values; the web layer's sendCsv neutralises formulas and streams them). */
export async function* csvRows<T>(
  columns: readonly CsvColumn<T>[],
  pages: AsyncIterable<readonly T[]> | Iterable<readonly T[]>,
): AsyncGenerator<unknown[][]> {
  for await (const page of pages) yield page.map((row) => columns.map((c) => c.value(row)));
}

/** One column per entry, in order: a field of the row shown as it is, or what a function makes of the row. */
export function csvColumns<T>(spec: Record<string, keyof T | ((row: T) => unknown)>): CsvColumn<T>[] {
  return Object.entries(spec).map(([header, value]) => ({
    header,
    value: typeof value === 'function' ? value : (row: T) => row[value],
  }));
}

const yesNo = (flag: boolean): string => (flag ? 'yes' : 'no');

const instant = (value: string | Date): DateTime =>
  typeof value === 'string'
    ? DateTime.fromISO(value, { zone: LONDON_ZONE })
    : DateTime.fromJSDate(value, { zone: LONDON_ZONE });

/**
 * A deadline or any date in a CSV: the London calendar day, `yyyy-mm-dd` (a plain date passes as it is); empty when
 * there is none.
 */
export function csvDate(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return instant(value).toISODate() ?? '';
}

/** A moment in a CSV (when something happened): London wall-clock time with its offset, `2026-07-01T09:30:00+01:00`. */
export function csvTimestamp(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  return instant(value).toFormat("yyyy-MM-dd'T'HH:mm:ssZZ");
}

/** What names a recommendation and where it stands, in the order every recommendation CSV shows them. */
export const RECOMMENDATION_IDENTITY_COLUMNS = csvColumns<RecommendationView>({
  reference: 'reference',
  text: 'text',
  area: 'area',
  priority: (r) => yesNo(r.priority),
  status: 'status',
  outcome: 'outcome',
});

/** The columns of a recommendation list as CSV. */
export const RECOMMENDATION_CSV_COLUMNS: readonly CsvColumn<RecommendationView>[] = [
  ...csvColumns<RecommendationView>({ id: 'id' }),
  ...RECOMMENDATION_IDENTITY_COLUMNS,
  ...csvColumns<RecommendationView>({
    'due date': (r) => csvDate(r.dueAt),
    'action plan due': (r) => csvDate(r.actionPlanDueAt),
    owner: 'owner',
    'target date': (r) => csvDate(r.targetDate),
    RAG: 'rag',
    overdue: (r) => yesNo(r.overdue),
    'overdue reason': 'overdueReason',
    'days overdue': 'daysOverdue',
    'inspection id': 'inspectionId',
    'organisation id': 'organisationId',
    updated: (r) => csvTimestamp(r.updatedAt),
  }),
];
