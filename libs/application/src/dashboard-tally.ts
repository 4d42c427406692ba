// Keeps the dashboard's two tallies in step with a transaction's changes: the monthly open/overdue deltas and the
// current-state counts.
import { londonMonth, stateChangeDeltas, type TrackedState } from '#domain';
import type { MonthDelta, RecommendationEntity, StateCount, Repositories } from '#persistence';

type Tracked = Pick<
  RecommendationEntity,
  'organisationId' | 'inspectionId' | 'area' | 'status' | 'nextDeadlineAt' | 'stateSince'
>;

export const trackedState = (
  rec: Pick<RecommendationEntity, 'status' | 'nextDeadlineAt' | 'stateSince'>,
): TrackedState => ({
  open: rec.status !== 'closed',
  nextDeadlineAt: rec.nextDeadlineAt,
  since: rec.stateSince,
});

export class DashboardTally {
  private readonly rows = new Map<string, MonthDelta>();
  private readonly counts = new Map<string, StateCount>();

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
    const row = this.counts.get(key) ?? {
      inspectionId: rec.inspectionId,
      area: rec.area ?? '',
      open: state.open,
      nextDeadlineAt: state.nextDeadlineAt,
      organisationId: rec.organisationId,
      n: 0,
    };
    row.n += n;
    this.counts.set(key, row);
  }

  /**
   * Adds the deltas to the table. Rows go in key order, so two transactions touching the same months
   * lock them in the same order and never deadlock.
   */
  async save(tx: Repositories): Promise<void> {
    await tx.dashboardTallies.addMonthDeltas(inKeyOrder(this.rows).filter((r) => r.open !== 0 || r.overdue !== 0));
    await tx.dashboardTallies.addStateCounts(inKeyOrder(this.counts).filter((r) => r.n !== 0));
    this.rows.clear();
    this.counts.clear();
  }
}

const inKeyOrder = <T>(rows: ReadonlyMap<string, T>): T[] =>
  [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
