import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_FOLLOW_UP_POLICY, DomainError, DomainErrorCode, parseIsoDuration, type Actor } from '#domain';
import { FollowUpPolicyEntity, runInTransaction } from '#persistence';
import { audit } from './audit.js';
import { CLOCK, type Clock } from './tokens.js';

const view = (p: FollowUpPolicyEntity) => ({
  id: p.id,
  programme: p.programme,
  actionPlanAfter: p.actionPlanAfter,
  revisitAfter: p.revisitAfter,
  version: p.version,
  updatedAt: p.updatedAt.toISOString(),
});

/** Follow-up policies per inspection programme; programmes without one use six weeks and six months. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list() {
    const rows = await this.db.getRepository(FollowUpPolicyEntity).find({ order: { programme: 'ASC' } });
    return { default: DEFAULT_FOLLOW_UP_POLICY, items: rows.map(view) };
  }

  async create(actor: Actor, input: { programme: string; actionPlanAfter: string; revisitAfter: string }) {
    parseIsoDuration(input.actionPlanAfter, 'actionPlanAfter');
    parseIsoDuration(input.revisitAfter, 'revisitAfter');
    const programme = input.programme.trim();
    const saved = await runInTransaction(this.db, async (manager) => {
      if (await manager.existsBy(FollowUpPolicyEntity, { programme })) {
        throw new DomainError(DomainErrorCode.Conflict, `programme ${programme} already has a follow-up policy`);
      }
      const policy = await manager.save(manager.create(FollowUpPolicyEntity, { programme, actionPlanAfter: input.actionPlanAfter, revisitAfter: input.revisitAfter }));
      await audit(manager, this.clock.now(), { actorId: actor.id, entityType: 'follow_up_policy', entityId: policy.id, action: 'policy.created', changes: { ...input } });
      return policy;
    });
    return view(saved);
  }
}
