// Follow-up policies: reads and creation of `follow_up_policies`, one per inspection programme.
import type { EntityManager } from 'typeorm';
import type { FollowUpPolicy } from '#domain';
import { FollowUpPolicyEntity } from '../entities/follow-up-policy.entity.js';

export class PoliciesRepository {
  constructor(private readonly db: EntityManager) {}

  /** Every policy, by programme. */
  all(): Promise<FollowUpPolicyEntity[]> {
    return this.db.getRepository(FollowUpPolicyEntity).find({ order: { programme: 'ASC' } });
  }

  /** The policy set for `programme`; null when it has none. */
  async forProgramme(programme: string): Promise<FollowUpPolicy | null> {
    const policy = await this.db.findOneBy(FollowUpPolicyEntity, { programme });
    return policy
      ? {
          actionPlanAfter: policy.actionPlanAfter,
          revisitAfter: policy.revisitAfter,
          immediateAfter: policy.immediateAfter,
        }
      : null;
  }

  programmeTaken(programme: string): Promise<boolean> {
    return this.db.existsBy(FollowUpPolicyEntity, { programme });
  }

  add(policy: { programme: string; actionPlanAfter: string; revisitAfter: string }): Promise<FollowUpPolicyEntity> {
    return this.db.save(this.db.create(FollowUpPolicyEntity, policy));
  }
}
