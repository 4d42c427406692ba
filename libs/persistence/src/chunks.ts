// Bulk writes a chunk per statement: one round trip per chunk, never per row, and within PostgreSQL's parameter limits.

/** `rows` in order, `size` at a time (the last chunk may be shorter). */
export function* chunksOf<T>(rows: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < rows.length; start += size) yield rows.slice(start, start + size);
}
