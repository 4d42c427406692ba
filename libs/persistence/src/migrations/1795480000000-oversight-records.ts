import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Oversight and records (issue 9): recommendation areas, lineage and closure time; calendar-feed tokens
 * (stored only as a sha256 hash); withholding an inspection from the public register; and the monthly
 * open/overdue deltas from which the dashboard rebuilds its two-year line without scanning the history.
 */
export class OversightRecords1795480000000 implements MigrationInterface {
  name = 'OversightRecords1795480000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE recommendations
        ADD COLUMN area             text           NULL,
        ADD COLUMN superseded_by_id uuid           NULL,
        ADD COLUMN closed_at        timestamptz(3) NULL,
        ADD COLUMN state_since      timestamptz(3) NULL,
        ADD CONSTRAINT fk_recommendations_superseded_by_id FOREIGN KEY (superseded_by_id) REFERENCES recommendations (id),
        ADD CONSTRAINT ck_recommendations_superseded_by_id CHECK (superseded_by_id IS NULL OR (outcome = 'superseded' AND superseded_by_id <> id))`);
    await q.query(`CREATE INDEX ix_recommendations_superseded_by_id ON recommendations (superseded_by_id) WHERE superseded_by_id IS NOT NULL`);
    // The dashboard's counts read every recommendation in one pass; this index covers that pass.
    await q.query(`
      CREATE INDEX ix_recommendations_organisation_id_status_dashboard ON recommendations (organisation_id, status)
        INCLUDE (inspection_id, area, next_deadline_at, due_at, closed_at, outcome)`);

    await q.query(`ALTER TABLE users ADD COLUMN calendar_token_hash text NULL, ADD CONSTRAINT uq_users_calendar_token_hash UNIQUE (calendar_token_hash)`);

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
    // Rows that predate this migration: their current state is taken to have held since publication
    // (closed ones: open from publication until their last change). From now on every change is exact.
    await q.query(`
      UPDATE recommendations r
         SET state_since = CASE WHEN r.status = 'closed' THEN r.updated_at ELSE i.published_at END,
             closed_at   = CASE WHEN r.status = 'closed' THEN r.updated_at END
        FROM inspections i WHERE i.id = r.inspection_id`);
    await q.query(`
      INSERT INTO recommendation_month_deltas (month, organisation_id, programme, area, open_delta, overdue_delta)
      SELECT d.month, d.organisation_id, d.programme, '', sum(d.open_delta), sum(d.overdue_delta)
        FROM recommendations r
        JOIN inspections i ON i.id = r.inspection_id
        CROSS JOIN LATERAL (VALUES
          (date_trunc('month', i.published_at AT TIME ZONE 'Europe/London')::date, r.organisation_id, i.programme, 1, 0),
          (date_trunc('month', r.closed_at AT TIME ZONE 'Europe/London')::date, r.organisation_id, i.programme, -1, 0),
          (date_trunc('month', greatest(i.published_at, r.next_deadline_at) AT TIME ZONE 'Europe/London')::date, r.organisation_id, i.programme, 0, 1)
        ) AS d(month, organisation_id, programme, open_delta, overdue_delta)
       WHERE d.month IS NOT NULL AND (d.overdue_delta = 0 OR r.next_deadline_at IS NOT NULL)
       GROUP BY d.month, d.organisation_id, d.programme`);
    await q.query(`ALTER TABLE recommendations ALTER COLUMN state_since SET NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recommendation_month_deltas`);
    await q.query(`ALTER TABLE inspections DROP CONSTRAINT ck_inspections_register_withheld, DROP COLUMN register_withheld_at, DROP COLUMN register_withheld_reason`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT uq_users_calendar_token_hash, DROP COLUMN calendar_token_hash`);
    await q.query(`DROP INDEX ix_recommendations_organisation_id_status_dashboard`);
    await q.query(`DROP INDEX ix_recommendations_superseded_by_id`);
    await q.query(`
      ALTER TABLE recommendations
        DROP CONSTRAINT ck_recommendations_superseded_by_id,
        DROP CONSTRAINT fk_recommendations_superseded_by_id,
        DROP COLUMN state_since, DROP COLUMN closed_at, DROP COLUMN superseded_by_id, DROP COLUMN area`);
  }
}
