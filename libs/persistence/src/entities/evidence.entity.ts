// The evidence table: what a liaison offers with a transition (title, link, note), per recommendation.
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'evidence' })
@Index('ix_evidence_recommendation_id', ['recommendationId'])
export class EvidenceEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_evidence' })
  id: string;

  /** FK recommendations ON DELETE CASCADE. */
  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @Column('text')
  title: string;

  @Column('text', { nullable: true })
  url: string | null;

  @Column('text', { nullable: true })
  note: string | null;

  /** FK users. */
  @Column('uuid', { name: 'submitted_by' })
  submittedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
