// Follow-up policies: reads and creation of `follow_up_policies`, one per inspection programme.
import type { EntityManager } from 'typeorm';
import { FollowUpPolicyEntity } from '../entities/follow-up-policy.entity.js';

export class PoliciesRepository {
  constructor(private readonly db: EntityManager) {}

  /** Every policy, by programme. */
  all(): Promise<FollowUpPolicyEntity[]> {
    return this.db.getRepository(FollowUpPolicyEntity).find({ order: { programme: 'ASC' } });
  }

  programmeTaken(programme: string): Promise<boolean> {
    return this.db.existsBy(FollowUpPolicyEntity, { programme });
  }

  add(policy: { programme: string; actionPlanAfter: string; revisitAfter: string }): Promise<FollowUpPolicyEntity> {
    return this.db.save(this.db.create(FollowUpPolicyEntity, policy));
  }
}
