// The columns of the CSV downloads, and a generator turning pages of rows into CSV rows.
import type { RecommendationView } from '../views.js';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

export const csvHeader = <T>(columns: readonly CsvColumn<T>[]): string[] => columns.map((c) => c.header);

/** Each page of `pages` as CSV rows (cell values; the web layer's sendCsv neutralises formulas and streams them). */
export async function* csvRows<T>(columns: readonly CsvColumn<T>[], pages: AsyncIterable<readonly T[]> | Iterable<readonly T[]>): AsyncGenerator<unknown[][]> {
  for await (const page of pages) yield page.map((row) => columns.map((c) => c.value(row)));
}

/** What names a recommendation and where it stands, in the order every recommendation CSV shows them. */
export const RECOMMENDATION_IDENTITY_COLUMNS: readonly CsvColumn<RecommendationView>[] = [
  { header: 'reference', value: (r) => r.reference },
  { header: 'text', value: (r) => r.text },
  { header: 'area', value: (r) => r.area },
  { header: 'priority', value: (r) => (r.priority ? 'yes' : 'no') },
  { header: 'status', value: (r) => r.status },
  { header: 'outcome', value: (r) => r.outcome },
];

/** The columns of a recommendation list as CSV. */
export const RECOMMENDATION_CSV_COLUMNS: readonly CsvColumn<RecommendationView>[] = [
  { header: 'id', value: (r) => r.id },
  ...RECOMMENDATION_IDENTITY_COLUMNS,
  { header: 'due date', value: (r) => r.dueAt },
  { header: 'action plan due', value: (r) => r.actionPlanDueAt },
  { header: 'owner', value: (r) => r.owner },
  { header: 'target date', value: (r) => r.targetDate },
  { header: 'RAG', value: (r) => r.rag },
  { header: 'overdue', value: (r) => (r.overdue ? 'yes' : 'no') },
  { header: 'overdue reason', value: (r) => r.overdueReason },
  { header: 'days overdue', value: (r) => r.daysOverdue },
  { header: 'inspection id', value: (r) => r.inspectionId },
  { header: 'organisation id', value: (r) => r.organisationId },
  { header: 'updated', value: (r) => r.updatedAt },
];
