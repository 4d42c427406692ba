// Collects the dashboard's monthly open/overdue deltas of a transaction's changes and adds them in one statement.
import type { EntityManager } from 'typeorm';
import { londonMonth, stateChangeDeltas, type TrackedState } from '#domain';
import type { RecommendationEntity } from '#persistence';

type Tracked = Pick<RecommendationEntity, 'organisationId' | 'area' | 'status' | 'nextDeadlineAt' | 'stateSince'>;

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

export class MonthDeltas {
  private readonly rows = new Map<string, DeltaRow>();

  /** Records a change of `rec` from `before` (null: it is new) to its current state, at `at`. */
  change(programme: string, rec: Tracked, before: TrackedState | null, at: Date): this {
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
    this.rows.clear();
  }
}
