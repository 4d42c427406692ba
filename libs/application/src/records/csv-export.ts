// Streams rows as spreadsheet-safe CSV: one page of rows in memory at a time, whatever the total.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { spreadsheetSafe } from '#domain';
import type { RecommendationView } from '../views.js';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

/**
 * A readable stream of CSV text: the header, then each row of `pages` (an async iterable of row arrays,
 * e.g. keyset pages). Back-pressure is respected, so memory stays flat at a million rows.
 */
export function csvStream<T>(columns: readonly CsvColumn<T>[], pages: AsyncIterable<readonly T[]> | Iterable<readonly T[]>): Readable {
  const stringifier = stringify({ header: true, columns: columns.map((c) => c.header), bom: true });
  const rows = Readable.from(
    (async function* () {
      for await (const page of pages) for (const row of page) yield columns.map((c) => spreadsheetSafe(c.value(row)));
    })(),
  );
  rows.on('error', (error) => stringifier.destroy(error));
  return rows.pipe(stringifier);
}

/** Every row of a keyset-paged query, page by page, until a page comes back short. */
export async function* keysetPages<T, K>(fetch: (after: K | null) => Promise<T[]>, keyOf: (row: T) => K, pageSize: number): AsyncGenerator<T[]> {
  let after: K | null = null;
  for (;;) {
    const page = await fetch(after);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = keyOf(page[page.length - 1]);
  }
}

/** The columns of a recommendation list as CSV. */
export const RECOMMENDATION_CSV_COLUMNS: readonly CsvColumn<RecommendationView>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'reference', value: (r) => r.reference },
  { header: 'text', value: (r) => r.text },
  { header: 'area', value: (r) => r.area },
  { header: 'priority', value: (r) => (r.priority ? 'yes' : 'no') },
  { header: 'status', value: (r) => r.status },
  { header: 'outcome', value: (r) => r.outcome },
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
