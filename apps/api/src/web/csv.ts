// CSV downloads: streamed page by page, with cells that a spreadsheet would run as a formula neutralised.
import { stringify } from 'csv-stringify';
import type { Response } from 'express';

/** A cell starting with = + - @ (or a tab or carriage return) would be a formula in a spreadsheet: prefix a quote. */
export function neutraliseCell(value: unknown): string {
  const text = value == null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Streams `header` then every row that `pages` yields, as `text/csv` named `filename`. Pages come from
 * keyset paging, so memory stays flat however many rows there are.
 */
export async function sendCsv(res: Response, filename: string, header: readonly string[], pages: AsyncIterable<readonly (readonly unknown[])[]>): Promise<void> {
  res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  const csv = stringify({ bom: true });
  csv.pipe(res);
  const write = async (row: readonly unknown[]) => {
    if (!csv.write(row.map(neutraliseCell))) await new Promise((resolve) => csv.once('drain', resolve));
  };
  await write(header);
  for await (const rows of pages) for (const row of rows) await write(row);
  csv.end();
  await new Promise((resolve) => res.once('finish', resolve));
}
