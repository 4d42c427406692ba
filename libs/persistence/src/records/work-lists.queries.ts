// Reads behind the inspections pages' lists: open and overdue recommendations per inspection.
import type { EntityManager } from 'typeorm';

export interface WorkInspectionCountRow {
  inspectionId: string;
  open: string;
  overdue: string;
}

/** One grouped statement per list (never a query per row). */
export class WorkListQueries {
  constructor(private readonly db: EntityManager) {}

  /** Per inspection, its recommendations in `openStatuses` and those overdue at `now`, in one grouped query. */
  inspectionCounts(
    inspectionIds: readonly string[],
    openStatuses: readonly string[],
    now: Date,
  ): Promise<WorkInspectionCountRow[]> {
    return this.db.query(
      `SELECT inspection_id AS "inspectionId",
              count(*) FILTER (WHERE status = ANY($2)) AS open,
              count(*) FILTER (WHERE next_deadline_at < $3) AS overdue
         FROM recommendations WHERE inspection_id = ANY($1) GROUP BY inspection_id`,
      [inspectionIds, openStatuses, now],
    );
  }
}
