// Reads a CSV file of a report's recommendations: bytes to records (csv-parse), records to recommendations (the
// domain's rules).
import { parse } from 'csv-parse/sync';
import { invalidInput, readImportRows, type ImportedRecommendation } from '#domain';

/**
 * UTF-8 with or without a byte-order mark, comma-separated, a header row, quoted fields spanning lines.
 * Throws InvalidInput naming every bad row and column; returns the recommendations otherwise.
 */
export function readRecommendationsCsv(file: Buffer | string): ImportedRecommendation[] {
  let text: string;
  try {
    text = typeof file === 'string' ? file : new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    throw invalidInput('the file is not UTF-8 text: save it as "CSV UTF-8"');
  }
  let records: string[][];
  try {
    // csv-parse's overloads want the assertion.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw invalidInput(`the file is not valid CSV${line ? ` near line ${line}` : ''}: ${(error as Error).message}`);
  }
  return readImportRows(records);
}
