// CSV downloads: streamed page by page, with cells that a spreadsheet would run as a formula neutralised.
import { applyDecorators, SetMetadata, Version, VERSION_NEUTRAL } from '@nestjs/common';
import { create as contentDisposition } from 'content-disposition';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';

export const CSV_DOWNLOAD_METADATA = 'followup:csv-download';

/**
 * A page route that answers a CSV download: whatever the `Accept` header (spreadsheets, curl and scripts send
 * `text/csv` or `*\/*`), and to the person's API token (`Authorization: Bearer`) as well as to the session,
 * so that its address works in a spreadsheet's "from web" import. PageAccessGuard reads the mark.
 */
export const CsvDownload = (): MethodDecorator =>
  applyDecorators(SetMetadata(CSV_DOWNLOAD_METADATA, true), Version(VERSION_NEUTRAL));

/**
 * What a spreadsheet reads as the start of a formula: = + - @ (after any spaces), or a leading tab or carriage return.
 */
const FORMULA_START = /^(?:[\t\r]| *[=+\-@])/;

/**
 * A cell a spreadsheet would read as a formula gets a leading quote. Excel in locales whose list separator
 * is `;` splits an unquoted cell at each `;`, so every part after a `;` is guarded as if it began a cell
 * (`a;=1+1` becomes `a;'=1+1`); sendCsv also quotes every cell holding a `;`, so such a spreadsheet keeps it whole.
 */
export function neutraliseCell(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value a cell is given is written as its text
  const text = value == null ? '' : String(value);
  return text
    .split(';')
    .map((part) => (FORMULA_START.test(part) ? `'${part}` : part))
    .join(';');
}

/**
 * Streams `header` then every row that `pages` yields, as `text/csv` named `filename`. Pages come from
 * keyset paging, so memory stays flat however many rows there are.
 */
export async function sendCsv(
  res: Response,
  filename: string,
  header: readonly string[],
  pages: AsyncIterable<readonly (readonly unknown[])[]>,
): Promise<void> {
  res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', contentDisposition(filename));
  res.setHeader('Cache-Control', 'no-store');
  // Quoted when it holds a `;`: a spreadsheet splitting on `;` (the list separator of many locales) keeps the cell
  // whole.
  const csv = stringify({ bom: true, quoted_match: ';' });
  csv.pipe(res);
  const write = async (row: readonly unknown[]) => {
    if (!csv.write(row.map(neutraliseCell))) await new Promise((resolve) => csv.once('drain', resolve));
  };
  await write(header);
  for await (const rows of pages) for (const row of rows) await write(row);
  csv.end();
  await new Promise((resolve) => res.once('finish', resolve));
}

/** A named column of a download: its header, and the cell for one row. */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

async function* cellsOf<T>(
  columns: readonly CsvColumn<T>[],
  pages: AsyncIterable<readonly T[]>,
): AsyncGenerator<unknown[][]> {
  for await (const page of pages) yield page.map((row) => columns.map((column) => column.value(row)));
}

/** sendCsv for rows of objects, described by their columns. */
export function sendCsvColumns<T>(
  res: Response,
  filename: string,
  columns: readonly CsvColumn<T>[],
  pages: AsyncIterable<readonly T[]>,
): Promise<void> {
  return sendCsv(
    res,
    filename,
    columns.map((column) => column.header),
    cellsOf(columns, pages),
  );
}
