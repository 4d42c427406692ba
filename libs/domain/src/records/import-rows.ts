// The rules of a report's recommendations arriving as spreadsheet rows: columns, values, and errors named by row.
import { DateTime } from 'luxon';
import { invalidInput } from '../errors/domain-error.js';
import { INSPECTION_LIMITS, RECOMMENDATION_LIMITS } from './inspection-limits.js';
import { parseIsoDuration, periodFromWords } from '../time/durations.js';
import { IMMEDIATELY } from '../time/deadlines.js';
import { LONDON_ZONE } from '../time/london-zone.js';

export const IMPORT_COLUMNS = ['reference', 'text', 'timeframe', 'due date', 'priority', 'area'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ['reference', 'text'];

/** The longest values the API accepts for the same fields (the one set of limits, inspection-limits.ts). */
const MAX_LENGTH: Partial<Record<ImportColumn, number>> = RECOMMENDATION_LIMITS;

export interface ImportedRecommendation {
  /** The row as a spreadsheet numbers it (the header is row 1). */
  row: number;
  reference: string;
  text: string;
  timeframe: string | null;
  dueAt: Date | null;
  priority: boolean | undefined;
  area: string | null;
}

/**
 * A timeframe as people write it: `immediately`, an ISO 8601 duration (`P3M`), or words such as
 * `3 months`, `within six weeks`. Returns `immediately` or an ISO duration; null for an empty cell.
 */
export function normaliseTimeframe(value: string): string | null {
  const text = value.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '') return null;
  if (text === IMMEDIATELY || text === 'immediate') return IMMEDIATELY;
  if (/^p/i.test(text)) {
    parseIsoDuration(text.toUpperCase());
    return text.toUpperCase();
  }
  const period = periodFromWords(text);
  if (!period) throw invalidInput('not a timeframe');
  return period;
}

/** `2019-02-28` or `28/02/2019`: the start of that day in London. Null for an empty cell. */
export function parseImportDate(value: string): Date | null {
  const text = value.trim();
  if (text === '') return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const parts = iso
    ? { year: +iso[1], month: +iso[2], day: +iso[3] }
    : uk
      ? { year: +uk[3], month: +uk[2], day: +uk[1] }
      : null;
  const date = parts ? DateTime.fromObject(parts, { zone: LONDON_ZONE }) : null;
  if (!date?.isValid) throw invalidInput('not a date');
  return date.toJSDate();
}

export function parseYesNo(value: string): boolean | undefined {
  const text = value.trim().toLowerCase();
  if (text === '') return undefined;
  if (['yes', 'y', 'true'].includes(text)) return true;
  if (['no', 'n', 'false'].includes(text)) return false;
  throw invalidInput('not yes or no');
}

const columnKey = (header: string): string =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');

/**
 * Validates the records of a CSV file (the first is the header) and returns the recommendations, or
 * throws one InvalidInput listing every bad row and column (`Row 4: due date "31/02/2019" is not a date`).
 * Wholly blank rows are skipped but still counted, as a spreadsheet shows them.
 */
export function readImportRows(records: readonly (readonly string[])[]): ImportedRecommendation[] {
  const [header, ...rows] = records;
  const errors: string[] = [];
  const columns = (header ?? []).map(columnKey);
  columns.forEach((column, i) => {
    if (column === '' && !rows.some((r) => (r[i] ?? '').trim() !== '')) return;
    if (!(IMPORT_COLUMNS as readonly string[]).includes(column)) {
      errors.push(`Row 1: column "${header[i].trim()}" is not one of: ${IMPORT_COLUMNS.join(', ')}`);
    } else if (columns.indexOf(column) !== i) {
      errors.push(`Row 1: column "${column}" appears twice`);
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!columns.includes(required)) errors.push(`Row 1: the header has no "${required}" column`);
  }
  if (errors.length > 0) throw invalidInput(...errors);

  // As many recommendations as POST /inspections takes, and no more (refused before any row is read).
  const filled = rows.filter((cells) => cells.some((c) => c.trim() !== '')).length;
  if (filled > INSPECTION_LIMITS.recommendations) {
    throw invalidInput(
      `the file has ${filled} recommendations: at most ${INSPECTION_LIMITS.recommendations} may be imported into one inspection`,
    );
  }

  const seen = new Map<string, number>();
  const result: ImportedRecommendation[] = [];
  rows.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((c) => c.trim() === '')) return;
    if (cells.length > columns.length && cells.slice(columns.length).some((c) => c.trim() !== '')) {
      errors.push(`Row ${row}: has ${cells.length} cells but the header names ${columns.length} columns`);
      return;
    }
    const cell = (column: ImportColumn): string => {
      const i = columns.indexOf(column);
      return i < 0 ? '' : (cells[i] ?? '');
    };
    const read = <T>(column: ImportColumn, parse: (v: string) => T, what: string): T | undefined => {
      try {
        return parse(cell(column));
      } catch {
        errors.push(`Row ${row}: ${column} "${cell(column).trim()}" ${what}`);
        return undefined;
      }
    };
    const rowErrors = errors.length;
    for (const column of IMPORT_COLUMNS) {
      const max = MAX_LENGTH[column];
      if (max && cell(column).trim().length > max)
        errors.push(`Row ${row}: ${column} is longer than ${max} characters`);
    }
    for (const required of REQUIRED_COLUMNS) {
      if (cell(required).trim() === '') errors.push(`Row ${row}: ${required} is empty`);
    }
    const reference = cell('reference').trim();
    const earlier = seen.get(reference);
    if (reference !== '' && earlier !== undefined)
      errors.push(`Row ${row}: reference "${reference}" is already used in row ${earlier}`);
    if (reference !== '' && earlier === undefined) seen.set(reference, row);
    const timeframe = read('timeframe', normaliseTimeframe, 'is not a timeframe (immediately, 3 months, P3M)');
    const dueAt = read('due date', parseImportDate, 'is not a date');
    const priority = read('priority', parseYesNo, 'is not yes or no');
    if (errors.length > rowErrors) return;
    const area = cell('area').trim();
    result.push({
      row,
      reference,
      text: cell('text').trim(),
      timeframe: timeframe ?? null,
      dueAt: dueAt ?? null,
      priority,
      area: area === '' ? null : area,
    });
  });
  if (errors.length === 0 && result.length === 0)
    errors.push('the file has no recommendations: one row per recommendation under the header row');
  if (errors.length > 0) throw invalidInput(...errors);
  return result;
}
