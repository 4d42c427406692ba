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

export function decodeCursor(cursor: string | undefined, arity: number): (string | null)[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // Every cursor ends with the row's id; checking it keeps a tampered cursor a 400, not a database error.
    if (Array.isArray(values) && values.length === arity && values.every((v) => v === null || typeof v === 'string') && UUID.test(String(values.at(-1)))) {
      return values as (string | null)[];
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
export function toPage<R, T>(rows: R[], limit: number, view: (row: R) => T, key: (row: R) => (string | null)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(view), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
