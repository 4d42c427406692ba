// Streams a list page's rows as a CSV download: one keyset page in memory at a time, cells a spreadsheet cannot run as formulas.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

/** A spreadsheet starts a formula at these (a tab or carriage return can hide one after it). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell as text; one that a spreadsheet would run as a formula gets a leading apostrophe and stays text. */
export function spreadsheetSafe(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** CSV text of `pages` (e.g. keyset pages of a query) with a header row, respecting back-pressure. */
export function csvStream<T>(columns: readonly CsvColumn<T>[], pages: AsyncIterable<readonly T[]>): Readable {
  const stringifier = stringify({ header: true, columns: columns.map((column) => column.header), bom: true });
  const rows = Readable.from(
    (async function* () {
      for await (const page of pages) for (const row of page) yield columns.map((column) => spreadsheetSafe(column.value(row)));
    })(),
  );
  rows.on('error', (error) => stringifier.destroy(error));
  return rows.pipe(stringifier);
}

/** Sends the CSV as a download named `filename`; a failure mid-stream ends the response, as its status is already sent. */
export async function sendCsv<T>(res: Response, filename: string, columns: readonly CsvColumn<T>[], pages: AsyncIterable<readonly T[]>): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`);
  res.setHeader('Cache-Control', 'no-store');
  try {
    await pipeline(csvStream(columns, pages), res);
  } catch {
    res.destroy();
  }
}
