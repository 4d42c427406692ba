// The dashboard's monthly open/overdue deltas per (organisation, programme, area); see the oversight migration.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'recommendation_month_deltas' })
export class RecommendationMonthDeltaEntity {
  /** The first day of a London calendar month, `YYYY-MM-DD`. */
  @PrimaryColumn('date', { primaryKeyConstraintName: 'pk_recommendation_month_deltas' })
  month: string;

  @PrimaryColumn('uuid', { name: 'organisation_id', primaryKeyConstraintName: 'pk_recommendation_month_deltas' })
  organisationId: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'pk_recommendation_month_deltas' })
  programme: string;

  /** '' for recommendations without an area (a primary key cannot hold null). */
  @PrimaryColumn('text', { default: '', primaryKeyConstraintName: 'pk_recommendation_month_deltas' })
  area: string;

  @Column('integer', { name: 'open_delta', default: 0 })
  openDelta: number;

  @Column('integer', { name: 'overdue_delta', default: 0 })
  overdueDelta: number;
}
