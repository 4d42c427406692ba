// Keyset paging on the pages: cursors from the query string, and the links between pages.
import { decodeCursor } from '#application';

/** A cursor the services accept, or undefined: a tampered one shows the first page rather than an error. */
export function usableCursor(value: unknown, shape: number = 2): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    return decodeCursor(value, shape) ? value : undefined;
  } catch {
    return undefined;
  }
}

export interface Pagination {
  previous?: { href: string; text?: string };
  next?: { href: string; text?: string };
}

/** For lists that page forward only: "Next page", and "First page" once past it; null when all fits on one page. */
export function forwardPagination(
  path: string,
  cursor: string | undefined,
  nextCursor: string | null,
): Pagination | null {
  if (!cursor && !nextCursor) return null;
  return {
    ...(cursor ? { previous: { href: path, text: 'First page' } } : {}),
    ...(nextCursor ? { next: { href: `${path}?after=${encodeURIComponent(nextCursor)}`, text: 'Next page' } } : {}),
  };
}
