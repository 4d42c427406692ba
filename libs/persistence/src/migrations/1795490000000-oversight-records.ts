// Migration: oversight and records (area, lineage, the dashboard's tallies, calendar tokens, register withholding).
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Oversight and records: recommendation areas, lineage and closure time; calendar-feed tokens
 * (stored only as a sha256 hash); withholding an inspection from the public register; and the monthly
 * open/overdue deltas from which the dashboard rebuilds its two-year line without scanning the history.
 */
/** The monthly deltas of rows that predate the table (also used by the benchmark to seed the same shape). */
export const BACKFILL_MONTH_DELTAS = `
  INSERT INTO recommendation_month_deltas (month, organisation_id, programme, area, open_delta, overdue_delta)
  SELECT d.month, d.organisation_id, d.programme, d.area, sum(d.open_delta), sum(d.overdue_delta)
    FROM recommendations r
    JOIN inspections i ON i.id = r.inspection_id
    CROSS JOIN LATERAL (VALUES
      (date_trunc('month', i.published_at AT TIME ZONE 'Europe/London')::date, r.organisation_id, i.programme, coalesce(r.area, ''), 1, 0),
      (date_trunc('month', r.closed_at AT TIME ZONE 'Europe/London')::date, r.organisation_id, i.programme, coalesce(r.area, ''), -1, 0),
      (date_trunc('month', greatest(i.published_at, r.next_deadline_at) AT TIME ZONE 'Europe/London')::date, r.organisation_id, i.programme, coalesce(r.area, ''), 0, 1)
    ) AS d(month, organisation_id, programme, area, open_delta, overdue_delta)
   WHERE d.month IS NOT NULL AND (d.overdue_delta = 0 OR r.next_deadline_at IS NOT NULL)
   GROUP BY d.month, d.organisation_id, d.programme, d.area`;

/** The current-state counts of rows that predate the table. */
export const BACKFILL_STATE_COUNTS = `
  INSERT INTO recommendation_state_counts (inspection_id, area, open, next_deadline_at, organisation_id, n)
  SELECT inspection_id, coalesce(area, ''), status <> 'closed', coalesce(next_deadline_at, 'infinity'), min(organisation_id::text)::uuid, count(*)
    FROM recommendations GROUP BY 1, 2, 3, 4`;

export class OversightRecords1795490000000 implements MigrationInterface {
  name = 'OversightRecords1795490000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE recommendations
        ADD COLUMN area             text           NULL,
        ADD COLUMN superseded_by_id uuid           NULL,
        ADD COLUMN closed_at        timestamptz(3) NULL,
        ADD COLUMN state_since      timestamptz(3) NULL,
        ADD CONSTRAINT fk_recommendations_superseded_by_id FOREIGN KEY (superseded_by_id) REFERENCES recommendations (id),
        ADD CONSTRAINT ck_recommendations_superseded_by_id CHECK (superseded_by_id IS NULL OR (outcome = 'superseded' AND superseded_by_id <> id))`);
    await q.query(
      `CREATE INDEX ix_recommendations_superseded_by_id ON recommendations (superseded_by_id) WHERE superseded_by_id IS NOT NULL`,
    );

    // Closures in a period (the share implemented by their due date, the median time to closure).
    await q.query(`
      CREATE INDEX ix_recommendations_closed_at_closed ON recommendations (closed_at)
        INCLUDE (organisation_id, inspection_id, area, outcome, due_at) WHERE status = 'closed'`);
    await q.query(
      `ALTER TABLE users ADD COLUMN calendar_token_hash text NULL, ADD CONSTRAINT uq_users_calendar_token_hash UNIQUE (calendar_token_hash)`,
    );

    await q.query(`
      ALTER TABLE inspections
        ADD COLUMN register_withheld_reason text           NULL,
        ADD COLUMN register_withheld_at     timestamptz(3) NULL,
        ADD CONSTRAINT ck_inspections_register_withheld CHECK ((register_withheld_reason IS NULL) = (register_withheld_at IS NULL))`);

    // One row per (month, organisation, programme, area): how many recommendations became open/overdue
    // (+) or stopped being so (-) in that London month. The count at a month's end is the running sum.
    await q.query(`
      CREATE TABLE recommendation_month_deltas (
        month            date    NOT NULL,
        organisation_id  uuid    NOT NULL,
        programme        text    NOT NULL,
        area             text    NOT NULL DEFAULT '',
        open_delta       integer NOT NULL DEFAULT 0,
        overdue_delta    integer NOT NULL DEFAULT 0,
        CONSTRAINT pk_recommendation_month_deltas PRIMARY KEY (month, organisation_id, programme, area),
        CONSTRAINT fk_recommendation_month_deltas_organisation_id FOREIGN KEY (organisation_id) REFERENCES organisations (id)
      )`);
    // How many recommendations are in each (inspection, area, open, next deadline): a few per inspection,
    // so the dashboard's current counts read thousands of rows, not a million. 'infinity' stands for no deadline.
    // No CHECK (n >= 0): PostgreSQL checks the row proposed by INSERT .. ON CONFLICT, which carries a decrement.
    await q.query(`
      CREATE TABLE recommendation_state_counts (
        inspection_id    uuid           NOT NULL,
        area             text           NOT NULL DEFAULT '',
        open             boolean        NOT NULL,
        next_deadline_at timestamptz(3) NOT NULL,
        organisation_id  uuid           NOT NULL,
        n                integer        NOT NULL DEFAULT 0,
        CONSTRAINT pk_recommendation_state_counts PRIMARY KEY (inspection_id, area, open, next_deadline_at),
        CONSTRAINT fk_recommendation_state_counts_inspection_id FOREIGN KEY (inspection_id) REFERENCES inspections (id) ON DELETE CASCADE
      )`);
    // Rows that predate this migration: their current state is taken to have held since publication
    // (closed ones: open from publication until their last change). From now on every change is exact.
    await q.query(`
      UPDATE recommendations r
         SET state_since = CASE WHEN r.status = 'closed' THEN r.updated_at ELSE i.published_at END,
             closed_at   = CASE WHEN r.status = 'closed' THEN r.updated_at END
        FROM inspections i WHERE i.id = r.inspection_id`);
    await q.query(BACKFILL_MONTH_DELTAS);
    await q.query(BACKFILL_STATE_COUNTS);
    // The default serves rows written outside the services (tests, benchmarks); the services always set it.
    await q.query(
      `ALTER TABLE recommendations ALTER COLUMN state_since SET DEFAULT now(), ALTER COLUMN state_since SET NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recommendation_state_counts`);
    await q.query(`DROP TABLE recommendation_month_deltas`);
    await q.query(
      `ALTER TABLE inspections DROP CONSTRAINT ck_inspections_register_withheld, DROP COLUMN register_withheld_at, DROP COLUMN register_withheld_reason`,
    );
    await q.query(`ALTER TABLE users DROP CONSTRAINT uq_users_calendar_token_hash, DROP COLUMN calendar_token_hash`);
    await q.query(`DROP INDEX ix_recommendations_closed_at_closed`);
    await q.query(`DROP INDEX ix_recommendations_superseded_by_id`);
    await q.query(`
      ALTER TABLE recommendations
        DROP CONSTRAINT ck_recommendations_superseded_by_id,
        DROP CONSTRAINT fk_recommendations_superseded_by_id,
        DROP COLUMN state_since, DROP COLUMN closed_at, DROP COLUMN superseded_by_id, DROP COLUMN area`);
  }
}
