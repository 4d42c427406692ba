// The inspections table: an inspection of one organisation, its lead inspector and derived deadlines.
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { VersionedEntity } from './versioned.entity.js';

@Entity({ name: 'inspections' })
@Index('ix_inspections_organisation_id_created_at_id', ['organisationId', 'createdAt', 'id'])
@Index('ix_inspections_lead_inspector_id', ['leadInspectorId'])
@Check('ck_inspections_register_withheld', `(register_withheld_reason IS NULL) = (register_withheld_at IS NULL)`)
export class InspectionEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_inspections' })
  id: string;

  /** FK organisations. */
  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('text')
  title: string;

  @Column('text')
  programme: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'published_at' })
  publishedAt: Date;

  /** FK users. */
  @Column('uuid', { name: 'lead_inspector_id' })
  leadInspectorId: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'action_plan_due_at' })
  actionPlanDueAt: Date;

  /** True when `actionPlanDueAt` was given, not derived from `publishedAt` (so it is not recomputed). */
  @Column('boolean', { name: 'action_plan_due_explicit', default: false })
  actionPlanDueExplicit: boolean;

  @Column({ type: 'timestamptz', precision: 3, name: 'revisit_due_at' })
  revisitDueAt: Date;

  /** True when `revisitDueAt` was given, not derived from `publishedAt`. */
  @Column('boolean', { name: 'revisit_due_explicit', default: false })
  revisitDueExplicit: boolean;

  /**
   * True while it waits to be published: seen only by inspectorate staff, nothing planned or sent, not on the register.
   */
  @Column('boolean', { default: false })
  draft: boolean;

  /** Why an administrator withheld it from the public register; null when it is shown. */
  @Column('text', { name: 'register_withheld_reason', nullable: true })
  registerWithheldReason: string | null;

  @Column({ type: 'timestamptz', precision: 3, name: 'register_withheld_at', nullable: true })
  registerWithheldAt: Date | null;
}
