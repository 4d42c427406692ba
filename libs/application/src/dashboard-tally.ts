// Keeps the dashboard's two tallies in step with a transaction's changes: the monthly open/overdue deltas and the current-state counts.
import type { EntityManager } from 'typeorm';
import { londonMonth, stateChangeDeltas, type TrackedState } from '#domain';
import type { RecommendationEntity } from '#persistence';

type Tracked = Pick<RecommendationEntity, 'organisationId' | 'inspectionId' | 'area' | 'status' | 'nextDeadlineAt' | 'stateSince'>;

export const trackedState = (rec: Pick<RecommendationEntity, 'status' | 'nextDeadlineAt' | 'stateSince'>): TrackedState => ({
  open: rec.status !== 'closed',
  nextDeadlineAt: rec.nextDeadlineAt,
  since: rec.stateSince,
});

interface DeltaRow {
  month: string;
  organisationId: string;
  programme: string;
  area: string;
  open: number;
  overdue: number;
}

interface CountRow {
  inspectionId: string;
  area: string;
  open: boolean;
  nextDeadlineAt: Date | null;
  organisationId: string;
  n: number;
}

/** 'infinity' stands for "no active deadline" in the counts' primary key. */
const NO_DEADLINE = 'infinity';

export class DashboardTally {
  private readonly rows = new Map<string, DeltaRow>();
  private readonly counts = new Map<string, CountRow>();

  /** Records a change of `rec` from `before` (null: it is new) to its current state, at `at`. */
  change(programme: string, rec: Tracked, before: TrackedState | null, at: Date): this {
    const after = trackedState(rec);
    if (before) this.count(rec, before, -1);
    this.count(rec, after, 1);
    for (const delta of stateChangeDeltas(before, trackedState(rec), at)) {
      const row = { month: londonMonth(delta.at), organisationId: rec.organisationId, programme, area: rec.area ?? '' };
      const key = JSON.stringify([row.month, row.organisationId, row.programme, row.area]);
      const sum = this.rows.get(key) ?? { ...row, open: 0, overdue: 0 };
      sum.open += delta.open;
      sum.overdue += delta.overdue;
      this.rows.set(key, sum);
    }
    return this;
  }

  private count(rec: Tracked, state: TrackedState, n: number): void {
    const key = JSON.stringify([rec.inspectionId, rec.area ?? '', state.open, state.nextDeadlineAt?.getTime() ?? null]);
    const row = this.counts.get(key) ?? { inspectionId: rec.inspectionId, area: rec.area ?? '', open: state.open, nextDeadlineAt: state.nextDeadlineAt, organisationId: rec.organisationId, n: 0 };
    row.n += n;
    this.counts.set(key, row);
  }

  /**
   * Adds the deltas to the table. Rows go in key order, so two transactions touching the same months
   * lock them in the same order and never deadlock.
   */
  async save(manager: EntityManager): Promise<void> {
    const rows = [...this.rows.entries()]
      .filter(([, r]) => r.open !== 0 || r.overdue !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r);
    const CHUNK = 1000;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      await manager.query(
        `INSERT INTO recommendation_month_deltas AS t (month, organisation_id, programme, area, open_delta, overdue_delta)
         SELECT * FROM unnest($1::date[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[])
         ON CONFLICT (month, organisation_id, programme, area)
         DO UPDATE SET open_delta = t.open_delta + excluded.open_delta, overdue_delta = t.overdue_delta + excluded.overdue_delta`,
        [chunk.map((r) => r.month), chunk.map((r) => r.organisationId), chunk.map((r) => r.programme), chunk.map((r) => r.area), chunk.map((r) => r.open), chunk.map((r) => r.overdue)],
      );
    }
    const counts = [...this.counts.entries()]
      .filter(([, r]) => r.n !== 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, r]) => r);
    for (let start = 0; start < counts.length; start += CHUNK) {
      const chunk = counts.slice(start, start + CHUNK);
      await manager.query(
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
    this.rows.clear();
    this.counts.clear();
  }
}
