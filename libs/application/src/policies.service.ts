// Follow-up policies per programme: how long after publication the action plan and the revisit fall due.
import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_FOLLOW_UP_POLICY,
  DomainError,
  DomainErrorCode,
  addDuration,
  invalidInput,
  parsePositiveDuration,
  type Actor,
} from '#domain';
import { Storage, type FollowUpPolicyEntity } from '#persistence';
import { CLOCK, type Clock } from './tokens.js';

const view = (p: FollowUpPolicyEntity) => ({
  id: p.id,
  programme: p.programme,
  actionPlanAfter: p.actionPlanAfter,
  revisitAfter: p.revisitAfter,
  version: p.version,
  updatedAt: p.updatedAt.toISOString(),
});

/**
 * A policy's offset applies to every inspection of its programme: longer than zero, and short enough
 * that a deadline computed from it stays a date (P99999999999999999999D would make every one a 400).
 */
function assertUsableOffset(text: string, field: string, from: Date): void {
  const duration = parsePositiveDuration(text, field);
  try {
    addDuration(from, duration);
  } catch {
    throw invalidInput(`${field} is too long: a deadline that far ahead is not a date`);
  }
}

/** Follow-up policies per inspection programme; programmes without one use six weeks and six months. */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list() {
    const rows = await this.storage.pool.policies.all();
    return {
      default: {
        actionPlanAfter: DEFAULT_FOLLOW_UP_POLICY.actionPlanAfter,
        revisitAfter: DEFAULT_FOLLOW_UP_POLICY.revisitAfter,
      },
      items: rows.map(view),
    };
  }

  async create(actor: Actor, input: { programme: string; actionPlanAfter: string; revisitAfter: string }) {
    const now = this.clock.now();
    assertUsableOffset(input.actionPlanAfter, 'actionPlanAfter', now);
    assertUsableOffset(input.revisitAfter, 'revisitAfter', now);
    const programme = input.programme.trim();
    const saved = await this.storage.transaction(async (tx) => {
      if (await tx.policies.programmeTaken(programme)) {
        throw new DomainError(DomainErrorCode.Conflict, `programme ${programme} already has a follow-up policy`);
      }
      const policy = await tx.policies.add({
        programme,
        actionPlanAfter: input.actionPlanAfter,
        revisitAfter: input.revisitAfter,
      });
      await tx.audit.record(this.clock.now(), {
        actorId: actor.id,
        entityType: 'follow_up_policy',
        entityId: policy.id,
        action: 'policy.created',
        changes: { ...input },
      });
      return policy;
    });
    return view(saved);
  }
}
