// Evidence files in storage: recording uploads, scan verdicts and withdrawals, citing files from closure evidence,
// retention and legal holds.
import type { EntityManager } from 'typeorm';
import { EvidenceFileEntity, type EvidenceScanState } from '../entities/evidence-file.entity.js';
import { EvidenceItemFileEntity } from '../entities/evidence-item-file.entity.js';
import { EvidenceLegalHoldEntity } from '../entities/evidence-legal-hold.entity.js';

export type NewEvidenceFile = Pick<
  EvidenceFileEntity,
  'recommendationId' | 'objectKey' | 'name' | 'type' | 'sha256' | 'scan' | 'uploadedBy' | 'uploadedAt'
> & { size: number };

/** A file with what deciding who may see it needs: its recommendation's organisation, inspection and status. */
export interface EvidenceFileRow {
  id: string;
  recommendationId: string;
  organisationId: string;
  inspectionId: string;
  recommendationStatus: string;
  objectKey: string;
  name: string;
  size: number;
  type: string;
  sha256: string;
  scan: EvidenceScanState;
  scanSignature: string | null;
  scannedAt: Date | null;
  uploadedBy: string;
  uploaderName: string | null;
  uploaderEmail: string | null;
  uploadedAt: Date;
  withdrawnBy: string | null;
  withdrawnAt: Date | null;
  version: number;
  /** The closure evidence items (ids) that cite it. */
  citedBy: string[];
}

const FILE_COLUMNS = `f.id, f.recommendation_id AS "recommendationId", r.organisation_id AS "organisationId", r.inspection_id AS "inspectionId",
  r.status AS "recommendationStatus", f.object_key AS "objectKey", f.name, f.size::float8 AS size, f.type, f.sha256, f.scan,
  f.scan_signature AS "scanSignature", f.scanned_at AS "scannedAt", f.uploaded_by AS "uploadedBy", u.name AS "uploaderName",
  u.email AS "uploaderEmail", f.uploaded_at AS "uploadedAt", f.withdrawn_by AS "withdrawnBy", f.withdrawn_at AS "withdrawnAt", f.version,
  (SELECT coalesce(array_agg(c.evidence_id ORDER BY c.evidence_id), '{}') FROM evidence_item_files c WHERE c.file_id = f.id) AS "citedBy"`;

const FILE_FROM = `FROM evidence_files f JOIN recommendations r ON r.id = f.recommendation_id LEFT JOIN users u ON u.id = f.uploaded_by`;

/** A file that retention deletes, as recorded in the audit trail. */
export interface ExpiredEvidenceFile {
  id: string;
  recommendationId: string;
  inspectionId: string;
  objectKey: string;
  name: string;
  sha256: string;
  size: number;
  closedAt: Date;
}

export interface LegalHold {
  inspectionId: string;
  reason: string;
  placedBy: string;
  placedAt: Date;
}

export class EvidenceFilesRepository {
  constructor(private readonly db: EntityManager) {}

  /** Inserts the files of one upload; returns their ids in the same order. */
  async insert(files: readonly NewEvidenceFile[]): Promise<string[]> {
    const result = await this.db.insert(
      EvidenceFileEntity,
      files.map((f) => ({ ...f, size: String(f.size) })),
    );
    return result.identifiers.map((i) => i.id as string);
  }

  /** The recommendation's organisation and status (an upload's checks before its body is read), or undefined. */
  async recommendationScope(
    recommendationId: string,
  ): Promise<{ organisationId: string; status: string; draft: boolean } | undefined> {
    const rows: { organisationId: string; status: string; draft: boolean }[] = await this.db.query(
      `SELECT organisation_id AS "organisationId", status, draft FROM recommendations WHERE id = $1`,
      [recommendationId],
    );
    return rows[0];
  }

  async get(id: string): Promise<EvidenceFileRow | undefined> {
    const rows: EvidenceFileRow[] = await this.db.query(`SELECT ${FILE_COLUMNS} ${FILE_FROM} WHERE f.id = $1`, [id]);
    return rows[0];
  }

  /** The file, locked until the transaction ends. */
  async lock(id: string): Promise<EvidenceFileRow | undefined> {
    const rows: EvidenceFileRow[] = await this.db.query(
      `SELECT ${FILE_COLUMNS} ${FILE_FROM} WHERE f.id = $1 FOR UPDATE OF f`,
      [id],
    );
    return rows[0];
  }

  /** Every file of these recommendations (withdrawn ones too), oldest first. */
  ofRecommendations(ids: readonly string[]): Promise<EvidenceFileRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.query(
      `SELECT ${FILE_COLUMNS} ${FILE_FROM} WHERE f.recommendation_id = ANY($1::uuid[]) ORDER BY f.uploaded_at, f.name, f.id`,
      [ids],
    );
  }

  /** Every file of an inspection's recommendations, oldest first (the readiness pack). */
  ofInspection(inspectionId: string): Promise<EvidenceFileRow[]> {
    return this.db.query(
      `SELECT ${FILE_COLUMNS} ${FILE_FROM} WHERE r.inspection_id = $1 ORDER BY f.uploaded_at, f.name, f.id`,
      [inspectionId],
    );
  }

  /**
   * Records a scan's answer on a file that is still pending (and, for malware, its quarantined key). False
   * when it was not pending any more: another run answered first, and nothing changed.
   */
  async recordScan(
    id: string,
    scan: Exclude<EvidenceScanState, 'pending'>,
    signature: string | null,
    objectKey: string | null,
    at: Date,
  ): Promise<boolean> {
    const [{ count }]: { count: number }[] = await this.db.query(
      `WITH answered AS (
         UPDATE evidence_files SET scan = $2, scan_signature = $3, object_key = coalesce($4, object_key), scanned_at = $5, version = version + 1
          WHERE id = $1 AND scan = 'pending' RETURNING 1)
       SELECT count(*)::int AS count FROM answered`,
      [id, scan, signature, objectKey, at],
    );
    return count > 0;
  }

  async withdraw(id: string, by: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE evidence_files SET withdrawn_by = $2, withdrawn_at = $3, version = version + 1 WHERE id = $1`,
      [id, by, at],
    );
  }

  /** Links a closure's evidence item to the files it cites. */
  async cite(evidenceId: string, fileIds: readonly string[]): Promise<void> {
    if (fileIds.length === 0) return;
    await this.db.insert(
      EvidenceItemFileEntity,
      fileIds.map((fileId) => ({ evidenceId, fileId })),
    );
  }

  /** Ids of files still pending uploaded before `before`, oldest first (the scanner's catch-up). */
  async pendingIds(before: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM evidence_files WHERE scan = 'pending' AND uploaded_at < $1 ORDER BY uploaded_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Files of recommendations closed before `closedBefore`, whose inspection has no legal hold, locked and
   * skipping rows another run holds (several workers may run retention).
   */
  expired(closedBefore: Date, limit: number): Promise<ExpiredEvidenceFile[]> {
    return this.db.query(
      `SELECT f.id, f.recommendation_id AS "recommendationId", r.inspection_id AS "inspectionId", f.object_key AS "objectKey", f.name, f.sha256,
              f.size::float8 AS size, r.closed_at AS "closedAt"
         FROM evidence_files f JOIN recommendations r ON r.id = f.recommendation_id
        WHERE r.status = 'closed' AND r.closed_at < $1
          AND NOT EXISTS (SELECT 1 FROM evidence_legal_holds h WHERE h.inspection_id = r.inspection_id)
        ORDER BY r.closed_at, f.id LIMIT $2
        FOR UPDATE OF f SKIP LOCKED`,
      [closedBefore, limit],
    );
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`DELETE FROM evidence_files WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Every object key a row names (housekeeping: an object no row names is an orphan). */
  async objectKeys(): Promise<Set<string>> {
    const rows: { key: string }[] = await this.db.query(`SELECT object_key AS key FROM evidence_files`);
    return new Set(rows.map((r) => r.key));
  }

  async hold(inspectionId: string): Promise<LegalHold | null> {
    return this.db.findOne(EvidenceLegalHoldEntity, { where: { inspectionId } });
  }

  async placeHold(hold: LegalHold): Promise<void> {
    await this.db.upsert(EvidenceLegalHoldEntity, hold, ['inspectionId']);
  }

  async releaseHold(inspectionId: string): Promise<boolean> {
    const result = await this.db.delete(EvidenceLegalHoldEntity, { inspectionId });
    return (result.affected ?? 0) > 0;
  }
}
