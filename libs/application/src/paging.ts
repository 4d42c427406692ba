// Keyset paging: page sizes, opaque cursors checked element by element, and pages cut from one extra row.
import { invalidInput } from '#domain';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
  /** Internal callers (exports) may read larger pages than clients may ask for. */
  maxLimit?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Keyset cursors: the sort key of the last item, opaque to clients. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** What each element of a cursor must be: the SQL it feeds compares it with a column of that type. */
export type CursorElement = 'timestamp' | 'text' | 'uuid' | 'integer';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

function isCursorElement(value: unknown, kind: CursorElement): boolean {
  // PostgreSQL text cannot hold NUL.
  if (typeof value !== 'string' || value.length > 1000 || value.includes('\u0000')) return false;
  if (kind === 'uuid') return UUID.test(value);
  if (kind === 'integer') return /^\d{1,18}$/.test(value);
  if (kind === 'timestamp') return ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
  return true;
}

/**
 * The sort key a cursor carries, each element checked against the type of the column it is compared
 * with: a tampered cursor is a 400 naming the cursor, never a database error. A number instead of the
 * element types means text elements ending with the row's id.
 */
export function decodeCursor(cursor: string | undefined, shape: number | readonly CursorElement[]): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  const kinds: readonly CursorElement[] =
    typeof shape === 'number' ? [...Array<CursorElement>(Math.max(0, shape - 1)).fill('text'), 'uuid'] : shape;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === kinds.length &&
      values.every((v, i) => isCursorElement(v, kinds[i]))
    ) {
      return values as string[];
    }
  } catch {
    // fall through to the error below
  }
  throw invalidInput('cursor is not valid: use the nextCursor of a previous page');
}

export function pageSize(request: PageRequest): number {
  return Math.min(request.limit ?? DEFAULT_PAGE_SIZE, request.maxLimit ?? MAX_PAGE_SIZE);
}

/** Fetch one row more than the page to know whether another page follows. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
  key: (row: R) => (string | null)[],
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
