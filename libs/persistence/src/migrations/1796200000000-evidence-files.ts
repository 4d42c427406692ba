// Migration: evidence files: the uploaded files, which closure evidence cites them, and legal holds on inspections.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per uploaded file: its random object key (never user text), what it is (size, sniffed type,
 * SHA-256), its scan state, and who uploaded or withdrew it. A closure's evidence item may cite files
 * (evidence_item_files). A legal hold on an inspection stops retention deleting its files.
 */
export class EvidenceFiles1796200000000 implements MigrationInterface {
  name = 'EvidenceFiles1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence_files (
        id                 uuid           NOT NULL DEFAULT gen_random_uuid(),
        recommendation_id  uuid           NOT NULL,
        object_key         text           NOT NULL,
        name               text           NOT NULL,
        size               bigint         NOT NULL,
        type               text           NOT NULL,
        sha256             text           NOT NULL,
        scan               text           NOT NULL DEFAULT 'pending',
        scan_signature     text           NULL,
        scanned_at         timestamptz(3) NULL,
        uploaded_by        uuid           NOT NULL,
        uploaded_at        timestamptz(3) NOT NULL,
        withdrawn_by       uuid           NULL,
        withdrawn_at       timestamptz(3) NULL,
        version            integer        NOT NULL DEFAULT 1,
        CONSTRAINT pk_evidence_files PRIMARY KEY (id),
        CONSTRAINT uq_evidence_files_object_key UNIQUE (object_key),
        CONSTRAINT fk_evidence_files_recommendation_id FOREIGN KEY (recommendation_id) REFERENCES recommendations (id) ON DELETE CASCADE,
        CONSTRAINT fk_evidence_files_uploaded_by FOREIGN KEY (uploaded_by) REFERENCES users (id),
        CONSTRAINT fk_evidence_files_withdrawn_by FOREIGN KEY (withdrawn_by) REFERENCES users (id),
        CONSTRAINT ck_evidence_files_scan CHECK (scan IN ('pending', 'clean', 'infected', 'unscanned')),
        CONSTRAINT ck_evidence_files_signature CHECK ((scan = 'infected') = (scan_signature IS NOT NULL)),
        CONSTRAINT ck_evidence_files_size CHECK (size > 0),
        CONSTRAINT ck_evidence_files_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_evidence_files_withdrawn CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
      )`);
    await q.query(
      `CREATE INDEX ix_evidence_files_recommendation_id_uploaded_at ON evidence_files (recommendation_id, uploaded_at)`,
    );
    // The scanner's catch-up finds files still waiting without reading the rest.
    await q.query(`CREATE INDEX ix_evidence_files_pending ON evidence_files (uploaded_at) WHERE scan = 'pending'`);
    await q.query(`
      CREATE TABLE evidence_item_files (
        evidence_id  uuid NOT NULL,
        file_id      uuid NOT NULL,
        CONSTRAINT pk_evidence_item_files PRIMARY KEY (evidence_id, file_id),
        CONSTRAINT fk_evidence_item_files_evidence_id FOREIGN KEY (evidence_id) REFERENCES evidence (id) ON DELETE CASCADE,
        CONSTRAINT fk_evidence_item_files_file_id FOREIGN KEY (file_id) REFERENCES evidence_files (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_evidence_item_files_file_id ON evidence_item_files (file_id)`);
    await q.query(`
      CREATE TABLE evidence_legal_holds (
        inspection_id  uuid           NOT NULL,
        reason         text           NOT NULL,
        placed_by      uuid           NOT NULL,
        placed_at      timestamptz(3) NOT NULL,
        CONSTRAINT pk_evidence_legal_holds PRIMARY KEY (inspection_id),
        CONSTRAINT fk_evidence_legal_holds_inspection_id FOREIGN KEY (inspection_id) REFERENCES inspections (id) ON DELETE CASCADE,
        CONSTRAINT fk_evidence_legal_holds_placed_by FOREIGN KEY (placed_by) REFERENCES users (id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence_legal_holds`);
    await q.query(`DROP TABLE evidence_item_files`);
    await q.query(`DROP TABLE evidence_files`);
  }
}
