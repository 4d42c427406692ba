// Follow-up policies: each programme's default durations from publication to the action plan deadline and to the
// revisit.
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from './versioned.entity.js';

/** Per-programme defaults of the follow-up clock, as ISO 8601 durations (e.g. `P6W`, `P6M`). */
@Entity({ name: 'follow_up_policies' })
@Unique('uq_follow_up_policies_programme', ['programme'])
export class FollowUpPolicyEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_follow_up_policies' })
  id: string;

  @Column('text')
  programme: string;

  /** ISO 8601 duration from publication to the action plan deadline. */
  @Column('text', { name: 'action_plan_after' })
  actionPlanAfter: string;

  /** ISO 8601 duration from publication to the revisit. */
  @Column('text', { name: 'revisit_after' })
  revisitAfter: string;

  /** ISO 8601 duration from publication to the due date of an "immediately" recommendation (default P28D). */
  @Column('text', { name: 'immediate_after', default: 'P28D' })
  immediateAfter: string;
}
