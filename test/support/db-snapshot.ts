// A checksum of every table's rows, to prove that a refused request changed nothing and an allowed one changed what it
// should.
import type pg from 'pg';

export type Snapshot = Record<string, string>;

/** Each table (but the migrations') as `row count:md5 of its rows in order`. */
export async function tableChecksum(db: pg.Client | pg.Pool): Promise<Snapshot> {
  const { rows } = await db.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
  );
  const sums: Snapshot = {};
  for (const { tablename } of rows) {
    const [{ sum, n }] = (
      await db.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${tablename}" t`,
      )
    ).rows;
    sums[tablename] = `${n}:${sum}`;
  }
  return sums;
}

/** The tables whose rows differ between two snapshots, sorted. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]).sort();
}
