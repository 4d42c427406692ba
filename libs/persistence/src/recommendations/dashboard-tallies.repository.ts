// The dashboard's two running tallies: monthly open/overdue deltas and current-state counts, added to in a transaction.
import type { EntityManager } from 'typeorm';
import { chunksOf } from '../chunks.js';

export interface MonthDelta {
  /** The London month, as YYYY-MM-01. */
  month: string;
  organisationId: string;
  programme: string;
  area: string;
  open: number;
  overdue: number;
}

export interface StateCount {
  inspectionId: string;
  area: string;
  open: boolean;
  nextDeadlineAt: Date | null;
  organisationId: string;
  n: number;
}

/** 'infinity' stands for "no active deadline" in the counts' primary key. */
const NO_DEADLINE = 'infinity';
const CHUNK = 1000;

export class DashboardTalliesRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Adds each delta to its month's row. Give rows in a fixed key order, so two transactions lock them alike and never
   * deadlock.
   */
  async addMonthDeltas(rows: readonly MonthDelta[]): Promise<void> {
    for (const chunk of chunksOf(rows, CHUNK)) {
      await this.db.query(
        `INSERT INTO recommendation_month_deltas AS t (month, organisation_id, programme, area, open_delta, overdue_delta)
         SELECT * FROM unnest($1::date[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[])
         ON CONFLICT (month, organisation_id, programme, area)
         DO UPDATE SET open_delta = t.open_delta + excluded.open_delta, overdue_delta = t.overdue_delta + excluded.overdue_delta`,
        [
          chunk.map((r) => r.month),
          chunk.map((r) => r.organisationId),
          chunk.map((r) => r.programme),
          chunk.map((r) => r.area),
          chunk.map((r) => r.open),
          chunk.map((r) => r.overdue),
        ],
      );
    }
  }

  /** Adds each count to its state's row (same ordering rule as addMonthDeltas). */
  async addStateCounts(counts: readonly StateCount[]): Promise<void> {
    for (const chunk of chunksOf(counts, CHUNK)) {
      await this.db.query(
        `INSERT INTO recommendation_state_counts AS t (inspection_id, area, open, next_deadline_at, organisation_id, n)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::boolean[], $4::timestamptz[], $5::uuid[], $6::int[])
         ON CONFLICT (inspection_id, area, open, next_deadline_at) DO UPDATE SET n = t.n + excluded.n`,
        [
          chunk.map((r) => r.inspectionId),
          chunk.map((r) => r.area),
          chunk.map((r) => r.open),
          chunk.map((r) => r.nextDeadlineAt?.toISOString() ?? NO_DEADLINE),
          chunk.map((r) => r.organisationId),
          chunk.map((r) => r.n),
        ],
      );
    }
  }
}
