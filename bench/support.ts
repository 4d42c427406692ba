// What the benchmarks share: a fresh database each, percentiles, bounded parallelism and seeded recommendations.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { NotificationPlanner, RecommendationsService, type Clock, type Replanning } from '#application';
import { loadConfig } from '#config';
import { createDataSource, runMigrationsSafely, type Storage } from '#persistence';
import type { DataSource } from 'typeorm';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh database for one benchmark (migrated unless told otherwise), dropped afterwards. */
export async function benchDatabase(
  poolSize = 10,
  opts: { migrate?: boolean } = {},
): Promise<{ url: string; ds: DataSource; drop(): Promise<void> }> {
  const name = `followup_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const ds = createDataSource(url.toString(), { poolSize });
  await ds.initialize();
  if (opts.migrate !== false) await runMigrationsSafely(ds);
  return {
    url: url.toString(),
    ds,
    async drop() {
      await ds.destroy();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

export const seconds = (startNs: bigint): number => Number(process.hrtime.bigint() - startNs) / 1e9;

/**
 * ROWS recommendations across 43 forces (one inspection each, led by one inspector), seeded with SQL:
 * deadlines spread over two years around now, a quarter closed (no active deadline). Returns the first
 * force's id and the lead inspector's.
 */
export async function seedRecommendations(ds: DataSource, rows: number): Promise<{ org: string; lead: string }> {
  const [{ org }]: { org: string }[] = await ds.query(
    `WITH orgs AS (INSERT INTO organisations (name, code) SELECT 'Force ' || g, 'F' || g FROM generate_series(1, 43) g RETURNING id)
     SELECT (SELECT id FROM orgs LIMIT 1) AS org`,
  );
  const [{ lead }]: { lead: string }[] = await ds.query(
    `INSERT INTO users (email, name, password_hash, role) VALUES ('lead@bench.test', 'Lead', 'x', 'inspector') RETURNING id AS lead`,
  );
  await ds.query(
    `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
     SELECT o.id, 'Inspection', 'PEEL', now() - interval '1 year', $1, now() - interval '300 days', now() + interval '100 days'
       FROM organisations o`,
    [lead],
  );
  await ds.query(
    `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, due_at, action_plan_due_at, next_deadline_at, status)
     SELECT i.ids[g % i.n + 1], i.orgs[g % i.n + 1], 'R' || g, 'Recommendation', d, d - interval '20 weeks',
            CASE WHEN g % 4 = 0 THEN NULL ELSE d END, CASE WHEN g % 4 = 0 THEN 'closed' ELSE 'planned' END
       FROM generate_series(1, $1) g
       CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids, array_agg(organisation_id ORDER BY id) AS orgs, count(*)::int AS n FROM inspections) i
       CROSS JOIN LATERAL (SELECT now() - interval '1 year' + (g % 730) * interval '1 day' + (g % 1000) * interval '1 second' AS d) t`,
    [rows],
  );
  await ds.query('VACUUM ANALYZE recommendations');
  return { org, lead };
}

/**
 * The recommendations service for reading only, as the benchmarks build it by hand: its lists read the planner's
 * settings (STALE_AFTER, the default), and nothing is planned, so the planner is all it is given of replanning.
 */
export function readingRecommendations(storage: Storage, clock: Clock): RecommendationsService {
  const replanning: Pick<Replanning, 'planner'> = { planner: new NotificationPlanner(loadConfig({})) };
  return new RecommendationsService(storage, replanning as Replanning, clock);
}
