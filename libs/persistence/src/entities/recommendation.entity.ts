// The recommendations table: each recommendation's workflow state, deadlines and the stored sort key next_deadline_at.
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from './versioned.entity.js';
import type { Outcome, PlanResponse, Rag, RecommendationStatus } from '#domain';

@Entity({ name: 'recommendations' })
@Unique('uq_recommendations_inspection_id_reference', ['inspectionId', 'reference'])
@Check('ck_recommendations_status', `status IN ('issued', 'planned', 'closure_proposed', 'closed')`)
@Check('ck_recommendations_outcome', `outcome IS NULL OR outcome IN ('implemented', 'not_implemented', 'superseded')`)
@Check('ck_recommendations_response', `response IS NULL OR response IN ('agreed', 'partly_agreed', 'not_agreed')`)
@Check('ck_recommendations_rag', `rag IS NULL OR rag IN ('green', 'amber', 'red')`)
@Index('ix_recommendations_next_deadline_at_reference_id', ['nextDeadlineAt', 'reference', 'id'], {
  where: 'next_deadline_at IS NOT NULL',
})
@Index(
  'ix_recommendations_org_next_deadline_at_reference_id',
  ['organisationId', 'nextDeadlineAt', 'reference', 'id'],
  {
    where: 'next_deadline_at IS NOT NULL',
  },
)
@Index('ix_recommendations_organisation_id_created_at_reference_id', ['organisationId', 'createdAt', 'reference', 'id'])
@Index('ix_recommendations_inspection_id_created_at_reference_id', ['inspectionId', 'createdAt', 'reference', 'id'])
@Index('ix_recommendations_created_at_reference_id', ['createdAt', 'reference', 'id'])
@Index('ix_recommendations_superseded_by_id', ['supersededById'], { where: 'superseded_by_id IS NOT NULL' })
@Index('ix_recommendations_closed_at_closed', ['closedAt'], { where: `status = 'closed'` })
@Index('ix_recommendations_progress_at_planned', ['progressAt'], { where: `status = 'planned'` })
// GIN over the search words (an expression TypeORM cannot declare): made by migration 1796000000001, never
// synchronised.
@Index('ix_recommendations_search', { synchronize: false })
@Check(
  'ck_recommendations_superseded_by_id',
  `superseded_by_id IS NULL OR (outcome = 'superseded' AND superseded_by_id <> id)`,
)
export class RecommendationEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_recommendations' })
  id: string;

  /** FK inspections ON DELETE CASCADE. */
  @Column('uuid', { name: 'inspection_id' })
  inspectionId: string;

  /** FK organisations (copied from the inspection). */
  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  /** Unique within the inspection; collation `natural`, so "2" sorts before "10" (migration 1796000000000). */
  @Column({ type: 'text', collation: 'natural' })
  reference: string;

  @Column('text')
  text: string;

  @Column('boolean', { default: false })
  priority: boolean;

  /** ISO 8601 duration from publication, or `immediately`; null when none was given. */
  @Column('text', { nullable: true })
  timeframe: string | null;

  /** The explicitly given due date, if any (it wins over `timeframe`). */
  @Column({ type: 'timestamptz', precision: 3, name: 'explicit_due_at', nullable: true })
  explicitDueAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, name: 'due_at' })
  dueAt: Date;

  /** Copied from the inspection and kept in step with it. */
  @Column({ type: 'timestamptz', precision: 3, name: 'action_plan_due_at' })
  actionPlanDueAt: Date;

  /** Earliest deadline still active for the status; null when none. The overdue list sorts by it. */
  @Column({ type: 'timestamptz', precision: 3, name: 'next_deadline_at', nullable: true })
  nextDeadlineAt: Date | null;

  @Column('text', { default: 'issued' })
  status: RecommendationStatus;

  @Column('text', { nullable: true })
  outcome: Outcome | null;

  @Column('text', { nullable: true })
  response: PlanResponse | null;

  @Column('text', { nullable: true })
  owner: string | null;

  @Column('text', { nullable: true })
  actions: string | null;

  /** A calendar date, `YYYY-MM-DD`. */
  @Column('date', { name: 'target_date', nullable: true })
  targetDate: string | null;

  @Column('text', { nullable: true })
  rag: Rag | null;

  /** The area of the report it belongs to (e.g. one of PEEL's graded areas, "Custody"); optional. */
  @Column('text', { nullable: true })
  area: string | null;

  /** When closed as superseded: the recommendation of a later inspection that replaces it. */
  @Column('uuid', { name: 'superseded_by_id', nullable: true })
  supersededById: string | null;

  /** When it was last closed; null while open. */
  @Column({ type: 'timestamptz', precision: 3, name: 'closed_at', nullable: true })
  closedAt: Date | null;

  /** Since when its current (status, next deadline) has held, as the dashboard's monthly deltas counted it. */
  @Column({ type: 'timestamptz', precision: 3, name: 'state_since', default: () => 'now()' })
  stateSince: Date;

  /**
   * While planned: when the force last acted on it (any workflow step that left it planned); "no recent progress"
   * counts from here.
   */
  @Column({ type: 'timestamptz', precision: 3, name: 'progress_at', nullable: true })
  progressAt: Date | null;

  /**
   * Its inspection's draft flag, kept with it (see the InspectionDrafts migration): drafts are left out of every
   * force-facing list.
   */
  @Column('boolean', { default: false })
  draft: boolean;
}
