import { benchDatabase, median, seconds } from './support.js';

const ROWS = Number(process.env.BENCH_LIST_ROWS ?? 1_000_000);
const REPEATS = 5;

export interface OverdueListResult {
  rows: number;
  queries: { name: string; indexedMs: number; seqScanMs: number; speedup: number; plan: string }[];
}

/**
 * The queries behind `GET /recommendations?overdue=true` (first page and a deep keyset page, all forces
 * and one force) on ROWS recommendations: with the schema's indexes, against the same queries with index
 * scans disabled, in the same run. Reported as speed-ups, medians of REPEATS runs.
 */
export async function benchOverdueList(): Promise<OverdueListResult> {
  const db = await benchDatabase(2);
  try {
    const [{ org }]: { org: string }[] = await db.ds.query(
      `WITH orgs AS (INSERT INTO organisations (name, code) SELECT 'Force ' || g, 'F' || g FROM generate_series(1, 43) g RETURNING id)
       SELECT (SELECT id FROM orgs LIMIT 1) AS org`,
    );
    const [{ lead }]: { lead: string }[] = await db.ds.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ('lead@bench.test', 'Lead', 'x', 'inspector') RETURNING id AS lead`,
    );
    await db.ds.query(
      `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
       SELECT o.id, 'Inspection', 'PEEL', now() - interval '1 year', $1, now() - interval '300 days', now() + interval '100 days'
         FROM organisations o`,
      [lead],
    );
    // Deadlines spread over two years around now; a quarter closed (no active deadline).
    await db.ds.query(
      `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, due_at, action_plan_due_at, next_deadline_at, status)
       SELECT i.id, i.organisation_id, 'R' || g, 'Recommendation', d, d - interval '20 weeks',
              CASE WHEN g % 4 = 0 THEN NULL ELSE d END, CASE WHEN g % 4 = 0 THEN 'closed' ELSE 'planned' END
         FROM generate_series(1, $1) g
         JOIN LATERAL (SELECT id, organisation_id FROM inspections OFFSET (g % 43) LIMIT 1) i ON true
         CROSS JOIN LATERAL (SELECT now() - interval '1 year' + (g % 730) * interval '1 day' + (g % 1000) * interval '1 second' AS d) t`,
      [ROWS],
    );
    await db.ds.query('VACUUM ANALYZE recommendations');
    const [{ deep }]: { deep: Date }[] = await db.ds.query(
      `SELECT next_deadline_at AS deep FROM recommendations WHERE next_deadline_at < now() ORDER BY next_deadline_at, id OFFSET 100000 LIMIT 1`,
    );
    const queries = [
      { name: 'overdue, all forces, first page', sql: `SELECT * FROM recommendations WHERE next_deadline_at < now() ORDER BY next_deadline_at, id LIMIT 51`, params: [] },
      {
        name: 'overdue, all forces, page after 100,000 rows',
        sql: `SELECT * FROM recommendations WHERE next_deadline_at < now() AND (next_deadline_at, id) > ($1, '00000000-0000-0000-0000-000000000000') ORDER BY next_deadline_at, id LIMIT 51`,
        params: [deep],
      },
      {
        name: 'overdue, one force, first page',
        sql: `SELECT * FROM recommendations WHERE organisation_id = $1 AND next_deadline_at < now() ORDER BY next_deadline_at, id LIMIT 51`,
        params: [org],
      },
      { name: 'all, keyset by creation, first page', sql: `SELECT * FROM recommendations ORDER BY created_at, id LIMIT 51`, params: [] },
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

async function timeQuery(ds: import('typeorm').DataSource, sql: string, params: unknown[], withoutIndexes: boolean): Promise<number> {
  return ds.transaction(async (manager) => {
    if (withoutIndexes) await manager.query('SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexonlyscan = off');
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
