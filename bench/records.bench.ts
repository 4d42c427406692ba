// Oversight and records at a million recommendations: the dashboard, the register and the export's memory, against the
// overdue list's first page in the same run.
import type { DataSource } from 'typeorm';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DashboardService, RegisterService, type Clock } from '#application';
import { Role, type Actor } from '#domain';
import { Storage } from '#persistence';
import {
  BACKFILL_MONTH_DELTAS,
  BACKFILL_STATE_COUNTS,
} from '../libs/persistence/src/migrations/1795490000000-oversight-records.js';
import { benchDatabase, median, readingRecommendations, seconds } from './support.js';

const ROWS = Number(process.env.BENCH_RECORDS_ROWS ?? 1_000_000);
const REPEATS = 5;
const EXPORT_HEAP_MB = 64;
const clock: Clock = { now: () => new Date() };
export const BENCH_ADMIN: Actor = { id: '00000000-0000-4000-8000-000000000001', role: Role.Admin, organisationIds: [] };

export interface RecordsResult {
  rows: number;
  seedSeconds: number;
  overdueFirstPageMs: number;
  dashboardMs: number;
  dashboardOneForceMs: number;
  registerVersionMs: number;
  registerOneForceMs: number;
  registerRows: number;
  export: { rows: number; seconds: number; peakRssMb: number; heapLimitMb: number }[];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm the cache
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const started = process.hrtime.bigint();
    await run();
    times.push(seconds(started) * 1000);
  }
  return median(times);
}

/**
 * Seeds ROWS recommendations over 43 forces, 5 programmes and 8 areas (a quarter closed, deadlines spread
 * over four years) with their monthly deltas, as the migration's backfill builds them; then times each
 * view as the services run it (median of 5 after a warm-up), and the export in child processes for RSS.
 */
export async function benchRecords(): Promise<RecordsResult> {
  const db = await benchDatabase(4);
  try {
    const seedStarted = process.hrtime.bigint();
    await seedRecords(db.ds, ROWS);
    const seedSeconds = seconds(seedStarted);

    const storage = new Storage(db.ds);
    const dashboard = new DashboardService(storage, clock);
    const recommendations = readingRecommendations(storage, clock);
    const register = new RegisterService(storage, clock);
    const [{ org, code }]: { org: string; code: string }[] = await db.ds.query(
      `SELECT id AS org, code FROM organisations ORDER BY code LIMIT 1`,
    );

    const overdueFirstPageMs = await timed(() => recommendations.list(BENCH_ADMIN, { overdue: true }, { limit: 50 }));
    const dashboardMs = await timed(() => dashboard.figures(BENCH_ADMIN, {}));
    const dashboardOneForceMs = await timed(() => dashboard.figures(BENCH_ADMIN, { organisationId: org }));
    const registerVersionMs = await timed(() => register.version(code));
    const registerOneForceMs = await timed(async () => JSON.stringify(await register.register(code)));
    const registerRows = (await register.register(code)).inspections.reduce((n, i) => n + i.recommendations.length, 0);

    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'records-export.child.js');
    const exports: RecordsResult['export'] = [];
    for (const rows of [10_000, ROWS]) {
      // A small old-space limit: the export must finish inside it whatever the row count, or memory is not flat.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [`--max-old-space-size=${EXPORT_HEAP_MB}`, child, db.url, String(rows)],
        { maxBuffer: 1 << 20 },
      );
      // The child's last line: its rows, seconds and peak resident set.
      const measured = JSON.parse(stdout.trim().split('\n').at(-1)!) as Omit<
        RecordsResult['export'][number],
        'heapLimitMb'
      >;
      exports.push({ ...measured, heapLimitMb: EXPORT_HEAP_MB });
    }
    return {
      rows: ROWS,
      seedSeconds,
      overdueFirstPageMs,
      dashboardMs,
      dashboardOneForceMs,
      registerVersionMs,
      registerOneForceMs,
      registerRows,
      export: exports,
    };
  } finally {
    await db.drop();
  }
}

/**
 * ROWS recommendations with their inspections, forces and monthly deltas, as a year or four of real use would leave
 * them.
 */
export async function seedRecords(ds: DataSource, rows: number): Promise<void> {
  await ds.query(`INSERT INTO organisations (name, code) SELECT 'Force ' || g, 'F' || g FROM generate_series(1, 43) g`);
  const [{ lead }]: { lead: string }[] = await ds.query(
    `INSERT INTO users (email, name, password_hash, role) VALUES ('lead@bench.test', 'Lead', 'x', 'inspector') RETURNING id AS lead`,
  );
  // 20 inspections per force, published over four years.
  await ds.query(
    `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
       SELECT o.id, 'Inspection ' || n, (ARRAY['PEEL', 'NCPI', 'Custody', 'Joint', 'Thematic'])[1 + n % 5], p, $1, p + interval '6 weeks', p + interval '6 months'
         FROM organisations o CROSS JOIN generate_series(1, 20) n
         CROSS JOIN LATERAL (SELECT now() - interval '4 years' + (n * 73) * interval '1 day' AS p) t`,
    [lead],
  );
  await ds.query(
    `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, area, due_at, action_plan_due_at, next_deadline_at, status, outcome, closed_at, state_since)
       SELECT i.id, i.organisation_id, 'R' || g, 'Recommendation ' || g || ': improve how the force does something important.',
              CASE WHEN g % 9 = 0 THEN NULL ELSE 'Area ' || (g % 8) END,
              i.published_at + interval '3 months', i.action_plan_due_at,
              CASE WHEN g % 4 = 0 THEN NULL ELSE i.published_at + interval '3 months' END,
              CASE WHEN g % 4 = 0 THEN 'closed' ELSE 'planned' END,
              CASE WHEN g % 4 = 0 THEN (CASE WHEN g % 8 = 0 THEN 'implemented' ELSE 'not_implemented' END) END,
              CASE WHEN g % 4 = 0 THEN i.published_at + (g % 400) * interval '1 day' END,
              i.published_at
         FROM generate_series(1, $1) g
         CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM inspections) all_inspections
         JOIN inspections i ON i.id = all_inspections.ids[1 + g % 860]`,
    [rows],
  );
  // The dashboard's tallies, built as the migration builds them for rows that predate it.
  await ds.query(BACKFILL_MONTH_DELTAS);
  await ds.query(BACKFILL_STATE_COUNTS);
  await ds.query('VACUUM ANALYZE');
}
