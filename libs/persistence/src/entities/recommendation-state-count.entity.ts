// How many recommendations are in each (inspection, area, open, next deadline): the dashboard's current counts; see the
// oversight migration.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'recommendation_state_counts' })
export class RecommendationStateCountEntity {
  @PrimaryColumn('uuid', { name: 'inspection_id', primaryKeyConstraintName: 'pk_recommendation_state_counts' })
  inspectionId: string;

  /** '' for recommendations without an area. */
  @PrimaryColumn('text', { default: '', primaryKeyConstraintName: 'pk_recommendation_state_counts' })
  area: string;

  @PrimaryColumn('boolean', { primaryKeyConstraintName: 'pk_recommendation_state_counts' })
  open: boolean;

  /** 'infinity' when there is no active deadline. */
  @PrimaryColumn({
    type: 'timestamptz',
    precision: 3,
    name: 'next_deadline_at',
    primaryKeyConstraintName: 'pk_recommendation_state_counts',
  })
  nextDeadlineAt: Date;

  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('integer', { default: 0 })
  n: number;
}
