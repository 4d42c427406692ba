// The evidence_item_files table: which uploaded files a closure proposal's evidence item cites.
import { Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'evidence_item_files' })
@Index('ix_evidence_item_files_file_id', ['fileId'])
export class EvidenceItemFileEntity {
  /** FK evidence ON DELETE CASCADE. */
  @PrimaryColumn('uuid', { name: 'evidence_id', primaryKeyConstraintName: 'pk_evidence_item_files' })
  evidenceId: string;

  /** FK evidence_files ON DELETE CASCADE. */
  @PrimaryColumn('uuid', { name: 'file_id', primaryKeyConstraintName: 'pk_evidence_item_files' })
  fileId: string;
}
