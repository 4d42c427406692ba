// Migration: the initial schema (organisations, users, inspections, recommendations, evidence, audit events, the
// notification ledger).
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole initial schema, written by hand. Names of constraints and indexes follow
 * `pk_/uq_/fk_/ck_/ix_<table>_<columns>` and match the entity decorators.
 *
 * Never generated, never `synchronize`d: the entities describe this schema, they do not define it.
 */
export class InitialSchema1795453200000 implements MigrationInterface {
  name = 'InitialSchema1795453200000';

  async up(q: QueryRunner): Promise<void> {
    // gen_random_uuid() is built in since PostgreSQL 13: no extension needed.

    await q.query(`
      CREATE TABLE organisations (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        name        text        NOT NULL,
        code        text        NOT NULL,
        version     integer     NOT NULL DEFAULT 1,
        created_at  timestamptz(3) NOT NULL DEFAULT now(),
        updated_at  timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_organisations PRIMARY KEY (id),
        CONSTRAINT uq_organisations_code UNIQUE (code)
      )`);

    await q.query(`
      CREATE TABLE users (
        id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
        email              text        NOT NULL,
        name               text        NOT NULL,
        password_hash      text        NOT NULL,
        role               text        NOT NULL,
        reminder_delivery  text        NOT NULL DEFAULT 'immediate',
        version            integer     NOT NULL DEFAULT 1,
        created_at         timestamptz(3) NOT NULL DEFAULT now(),
        updated_at         timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_email UNIQUE (email),
        CONSTRAINT ck_users_email_lower CHECK (email = lower(email)),
        CONSTRAINT ck_users_role CHECK (role IN ('admin', 'manager', 'inspector', 'liaison')),
        CONSTRAINT ck_users_reminder_delivery CHECK (reminder_delivery IN ('immediate', 'daily_digest'))
      )`);

    await q.query(`
      CREATE TABLE user_organisations (
        user_id          uuid NOT NULL,
        organisation_id  uuid NOT NULL,
        CONSTRAINT pk_user_organisations PRIMARY KEY (user_id, organisation_id),
        CONSTRAINT fk_user_organisations_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_user_organisations_organisation_id FOREIGN KEY (organisation_id) REFERENCES organisations (id)
      )`);
    await q.query(`CREATE INDEX ix_user_organisations_organisation_id ON user_organisations (organisation_id)`);

    await q.query(`
      CREATE TABLE follow_up_policies (
        id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
        programme           text        NOT NULL,
        action_plan_after   text        NOT NULL,
        revisit_after       text        NOT NULL,
        version             integer     NOT NULL DEFAULT 1,
        created_at          timestamptz(3) NOT NULL DEFAULT now(),
        updated_at          timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_follow_up_policies PRIMARY KEY (id),
        CONSTRAINT uq_follow_up_policies_programme UNIQUE (programme)
      )`);

    await q.query(`
      CREATE TABLE inspections (
        id                        uuid        NOT NULL DEFAULT gen_random_uuid(),
        organisation_id           uuid        NOT NULL,
        title                     text        NOT NULL,
        programme                 text        NOT NULL,
        published_at              timestamptz(3) NOT NULL,
        lead_inspector_id         uuid        NOT NULL,
        action_plan_due_at        timestamptz(3) NOT NULL,
        action_plan_due_explicit  boolean     NOT NULL DEFAULT false,
        revisit_due_at            timestamptz(3) NOT NULL,
        revisit_due_explicit      boolean     NOT NULL DEFAULT false,
        version                   integer     NOT NULL DEFAULT 1,
        created_at                timestamptz(3) NOT NULL DEFAULT now(),
        updated_at                timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_inspections PRIMARY KEY (id),
        CONSTRAINT fk_inspections_organisation_id FOREIGN KEY (organisation_id) REFERENCES organisations (id),
        CONSTRAINT fk_inspections_lead_inspector_id FOREIGN KEY (lead_inspector_id) REFERENCES users (id)
      )`);
    await q.query(
      `CREATE INDEX ix_inspections_organisation_id_created_at_id ON inspections (organisation_id, created_at, id)`,
    );
    await q.query(`CREATE INDEX ix_inspections_lead_inspector_id ON inspections (lead_inspector_id)`);

    await q.query(`
      CREATE TABLE recommendations (
        id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
        inspection_id       uuid        NOT NULL,
        organisation_id     uuid        NOT NULL,
        reference           text        NOT NULL,
        text                text        NOT NULL,
        priority            boolean     NOT NULL DEFAULT false,
        timeframe           text        NULL,
        explicit_due_at     timestamptz(3) NULL,
        due_at              timestamptz(3) NOT NULL,
        action_plan_due_at  timestamptz(3) NOT NULL,
        next_deadline_at    timestamptz(3) NULL,
        status              text        NOT NULL DEFAULT 'issued',
        outcome             text        NULL,
        response            text        NULL,
        owner               text        NULL,
        actions             text        NULL,
        target_date         date        NULL,
        rag                 text        NULL,
        version             integer     NOT NULL DEFAULT 1,
        created_at          timestamptz(3) NOT NULL DEFAULT now(),
        updated_at          timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_recommendations PRIMARY KEY (id),
        CONSTRAINT uq_recommendations_inspection_id_reference UNIQUE (inspection_id, reference),
        CONSTRAINT fk_recommendations_inspection_id FOREIGN KEY (inspection_id) REFERENCES inspections (id) ON DELETE CASCADE,
        CONSTRAINT fk_recommendations_organisation_id FOREIGN KEY (organisation_id) REFERENCES organisations (id),
        CONSTRAINT ck_recommendations_status CHECK (status IN ('issued', 'planned', 'closure_proposed', 'closed')),
        CONSTRAINT ck_recommendations_outcome CHECK (outcome IS NULL OR outcome IN ('implemented', 'not_implemented', 'superseded')),
        CONSTRAINT ck_recommendations_response CHECK (response IS NULL OR response IN ('agreed', 'partly_agreed', 'not_agreed')),
        CONSTRAINT ck_recommendations_rag CHECK (rag IS NULL OR rag IN ('green', 'amber', 'red'))
      )`);
    // The overdue list (all organisations, then one organisation), most overdue first, keyset-paged.
    await q.query(`
      CREATE INDEX ix_recommendations_next_deadline_at_id ON recommendations (next_deadline_at, id)
        WHERE next_deadline_at IS NOT NULL`);
    await q.query(`
      CREATE INDEX ix_recommendations_organisation_id_next_deadline_at_id ON recommendations (organisation_id, next_deadline_at, id)
        WHERE next_deadline_at IS NOT NULL`);
    // Plain lists, keyset-paged by (created_at, id).
    await q.query(
      `CREATE INDEX ix_recommendations_organisation_id_created_at_id ON recommendations (organisation_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_recommendations_inspection_id_created_at_id ON recommendations (inspection_id, created_at, id)`,
    );
    await q.query(`CREATE INDEX ix_recommendations_created_at_id ON recommendations (created_at, id)`);

    await q.query(`
      CREATE TABLE evidence (
        id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
        recommendation_id  uuid        NOT NULL,
        title              text        NOT NULL,
        url                text        NULL,
        note               text        NULL,
        submitted_by       uuid        NOT NULL,
        created_at         timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_evidence PRIMARY KEY (id),
        CONSTRAINT fk_evidence_recommendation_id FOREIGN KEY (recommendation_id) REFERENCES recommendations (id) ON DELETE CASCADE,
        CONSTRAINT fk_evidence_submitted_by FOREIGN KEY (submitted_by) REFERENCES users (id)
      )`);
    await q.query(`CREATE INDEX ix_evidence_recommendation_id ON evidence (recommendation_id)`);

    await q.query(`
      CREATE TABLE audit_events (
        seq          bigserial   NOT NULL,
        id           uuid        NOT NULL DEFAULT gen_random_uuid(),
        at           timestamptz(3) NOT NULL,
        actor_id     uuid        NULL,
        entity_type  text        NOT NULL,
        entity_id    uuid        NOT NULL,
        action       text        NOT NULL,
        from_status  text        NULL,
        to_status    text        NULL,
        comment      text        NULL,
        changes      jsonb       NOT NULL DEFAULT '{}'::jsonb,
        prev_hash    text        NOT NULL,
        hash         text        NOT NULL,
        CONSTRAINT pk_audit_events PRIMARY KEY (seq),
        CONSTRAINT uq_audit_events_id UNIQUE (id)
      )`);
    await q.query(
      `CREATE INDEX ix_audit_events_entity_type_entity_id_seq ON audit_events (entity_type, entity_id, seq)`,
    );
    // Append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER trg_audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER trg_audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);

    await q.query(`
      CREATE TABLE notifications (
        id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
        dedup_key          text        NOT NULL,
        recommendation_id  uuid        NULL,
        inspection_id      uuid        NULL,
        organisation_id    uuid        NULL,
        deadline_type      text        NOT NULL,
        deadline_at        timestamptz(3) NOT NULL,
        kind               text        NOT NULL,
        offset_key         text        NOT NULL,
        recipient_id       uuid        NOT NULL,
        recipient_email    text        NOT NULL,
        send_at            timestamptz(3) NOT NULL,
        batch_key          text        NOT NULL,
        status             text        NOT NULL DEFAULT 'scheduled',
        attempts           integer     NOT NULL DEFAULT 0,
        claimed_at         timestamptz(3) NULL,
        sent_at            timestamptz(3) NULL,
        message_id         text        NULL,
        last_error         text        NULL,
        created_at         timestamptz(3) NOT NULL DEFAULT now(),
        updated_at         timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_notifications PRIMARY KEY (id),
        CONSTRAINT uq_notifications_dedup_key UNIQUE (dedup_key),
        CONSTRAINT fk_notifications_recommendation_id FOREIGN KEY (recommendation_id) REFERENCES recommendations (id) ON DELETE CASCADE,
        CONSTRAINT fk_notifications_recipient_id FOREIGN KEY (recipient_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_notifications_deadline_type CHECK (deadline_type IN ('action_plan', 'due_date', 'closure_review', 'weekly_summary')),
        CONSTRAINT ck_notifications_kind CHECK (kind IN ('reminder', 'overdue', 'escalation', 'review_needed', 'overdue_summary')),
        CONSTRAINT ck_notifications_status CHECK (status IN ('scheduled', 'sending', 'sent', 'failed', 'cancelled')),
        CONSTRAINT ck_notifications_attempts CHECK (attempts >= 0)
      )`);
    await q.query(`
      CREATE INDEX ix_notifications_batch_key ON notifications (batch_key)`);
    await q.query(`
      CREATE INDEX ix_notifications_send_at_scheduled ON notifications (send_at)
        WHERE status = 'scheduled'`);
    await q.query(`
      CREATE INDEX ix_notifications_claimed_at_sending ON notifications (claimed_at)
        WHERE status = 'sending'`);
    await q.query(
      `CREATE INDEX ix_notifications_recommendation_id_created_at ON notifications (recommendation_id, created_at)`,
    );
    await q.query(`CREATE INDEX ix_notifications_status_created_at_id ON notifications (status, created_at, id)`);

    await q.query(`
      CREATE TABLE app_settings (
        key         text        NOT NULL,
        value       text        NOT NULL,
        created_at  timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_app_settings PRIMARY KEY (key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Reverse order of creation; dropping a table drops its indexes, constraints and triggers.
    await q.query(`DROP TABLE app_settings`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only()`);
    await q.query(`DROP TABLE evidence`);
    await q.query(`DROP TABLE recommendations`);
    await q.query(`DROP TABLE inspections`);
    await q.query(`DROP TABLE follow_up_policies`);
    await q.query(`DROP TABLE user_organisations`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE organisations`);
  }
}
