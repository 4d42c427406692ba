// The overdue list's queries at scale: with their indexes against a sequential scan of the same data.
import type { DataSource } from 'typeorm';
import { benchDatabase, median, seconds, seedRecommendations } from './support.js';

const ROWS = Number(process.env.BENCH_LIST_ROWS ?? 1_000_000);
const REPEATS = 5;

export interface OverdueListResult {
  rows: number;
  queries: { name: string; indexedMs: number; seqScanMs: number; speedup: number; plan: string }[];
}

/**
 * The queries behind `GET /recommendations?overdue=true` (first page and a deep keyset page, all forces
 * and one force) and the list by creation, in the orders the lists use (deadline or creation, then reference, then
 * id), on ROWS recommendations: with the schema's indexes, against the same queries with index
 * scans disabled, in the same run. Reported as speed-ups, medians of REPEATS runs.
 */
export async function benchOverdueList(): Promise<OverdueListResult> {
  const db = await benchDatabase(2);
  try {
    const { org } = await seedRecommendations(db.ds, ROWS);
    const [{ deep, deepReference }]: { deep: Date; deepReference: string }[] = await db.ds.query(
      `SELECT next_deadline_at AS deep, reference AS "deepReference" FROM recommendations WHERE next_deadline_at < now() ORDER BY next_deadline_at, reference, id OFFSET 100000 LIMIT 1`,
    );
    const queries = [
      {
        name: 'overdue, all forces, first page',
        sql: `SELECT * FROM recommendations WHERE next_deadline_at < now() ORDER BY next_deadline_at, reference, id LIMIT 51`,
        params: [],
      },
      {
        name: 'overdue, all forces, page after 100,000 rows',
        sql: `SELECT * FROM recommendations WHERE next_deadline_at < now() AND (next_deadline_at, reference, id) > ($1, $2, '00000000-0000-0000-0000-000000000000') ORDER BY next_deadline_at, reference, id LIMIT 51`,
        params: [deep, deepReference],
      },
      {
        name: 'overdue, one force, first page',
        sql: `SELECT * FROM recommendations WHERE organisation_id = $1 AND next_deadline_at < now() ORDER BY next_deadline_at, reference, id LIMIT 51`,
        params: [org],
      },
      {
        name: 'all, keyset by creation, first page',
        sql: `SELECT * FROM recommendations ORDER BY created_at, reference, id LIMIT 51`,
        params: [],
      },
    ];
    const results: OverdueListResult['queries'] = [];
    for (const q of queries) {
      const indexedMs = await timeQuery(db.ds, q.sql, q.params, false);
      const seqScanMs = await timeQuery(db.ds, q.sql, q.params, true);
      const [plan]: { 'QUERY PLAN': string }[] = await db.ds.query(`EXPLAIN ${q.sql}`, q.params);
      results.push({ name: q.name, indexedMs, seqScanMs, speedup: seqScanMs / indexedMs, plan: plan['QUERY PLAN'] });
    }
    return { rows: ROWS, queries: results };
  } finally {
    await db.drop();
  }
}

async function timeQuery(ds: DataSource, sql: string, params: unknown[], withoutIndexes: boolean): Promise<number> {
  return ds.transaction(async (manager) => {
    if (withoutIndexes)
      await manager.query(
        'SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexonlyscan = off',
      );
    await manager.query(sql, params); // warm the cache
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i += 1) {
      const started = process.hrtime.bigint();
      await manager.query(sql, params);
      times.push(seconds(started) * 1000);
    }
    return median(times);
  });
}
