// The evidence_files table: one uploaded file (random object key, sniffed type, SHA-256, scan state, uploader,
// withdrawal).
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type EvidenceScanState = 'pending' | 'clean' | 'infected' | 'unscanned';

@Entity({ name: 'evidence_files' })
@Unique('uq_evidence_files_object_key', ['objectKey'])
@Index('ix_evidence_files_recommendation_id_uploaded_at', ['recommendationId', 'uploadedAt'])
@Index('ix_evidence_files_pending', ['uploadedAt'], { where: `scan = 'pending'` })
@Check('ck_evidence_files_scan', `scan IN ('pending', 'clean', 'infected', 'unscanned')`)
@Check('ck_evidence_files_signature', `(scan = 'infected') = (scan_signature IS NOT NULL)`)
@Check('ck_evidence_files_size', `size > 0`)
@Check('ck_evidence_files_sha256', `sha256 ~ '^[0-9a-f]{64}$'`)
@Check('ck_evidence_files_withdrawn', `(withdrawn_at IS NULL) = (withdrawn_by IS NULL)`)
export class EvidenceFileEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_evidence_files' })
  id: string;

  /** FK recommendations ON DELETE CASCADE. */
  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  /** `objects/<random>` or, once infected, `quarantine/<random>`: never user text. */
  @Column('text', { name: 'object_key' })
  objectKey: string;

  /** The name it was uploaded with, for display only. */
  @Column('text')
  name: string;

  /** Bytes (bigint: read back as a string by pg). */
  @Column('bigint')
  size: string;

  /** The MIME type sniffed from the content. */
  @Column('text')
  type: string;

  @Column('text')
  sha256: string;

  @Column('text', { default: 'pending' })
  scan: EvidenceScanState;

  @Column('text', { name: 'scan_signature', nullable: true })
  scanSignature: string | null;

  @Column({ type: 'timestamptz', precision: 3, name: 'scanned_at', nullable: true })
  scannedAt: Date | null;

  /** FK users. */
  @Column('uuid', { name: 'uploaded_by' })
  uploadedBy: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'uploaded_at' })
  uploadedAt: Date;

  /** FK users. */
  @Column('uuid', { name: 'withdrawn_by', nullable: true })
  withdrawnBy: string | null;

  @Column({ type: 'timestamptz', precision: 3, name: 'withdrawn_at', nullable: true })
  withdrawnAt: Date | null;

  @Column('integer', { default: 1 })
  version: number;
}
