// Publishing a draft inspection: from then on its force sees it, its notifications are planned and it is on the
// register.
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  DomainErrorCode,
  assertVersion,
  canManageInspection,
  canSeeInspection,
  notFound,
  type Actor,
} from '#domain';
import { Storage, type InspectionEntity } from '#persistence';
import { DashboardTally } from './dashboard-tally.js';
import { Replanning } from './replanning.js';
import { CLOCK, type Clock } from './tokens.js';

@Injectable()
export class InspectionPublishing {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly storage: Storage,
    private readonly replanning: Replanning,
  ) {}

  /**
   * Publishes the draft `id` named at `version`, in one transaction: the inspection and its recommendations
   * leave draft, the dashboard starts counting them, `inspection.published` (and `recommendation.created` for
   * each) is emitted, their notifications are planned, and audit events are left: `inspection.published`, and
   * `recommendation.published` for each recommendation.
   * A second publish (a concurrent one, or a replay) gets 409 and changes nothing: with the version it read,
   * that version is stale; with the new one, the inspection is no longer a draft.
   */
  async publish(actor: Actor, id: string, version: number): Promise<void> {
    const now = this.clock.now();
    await this.replanning.run(async (tx, planner, events) => {
      const inspection = await tx.inspections.lockForUpdate(id);
      this.assertMayPublish(actor, inspection);
      assertVersion(inspection.version, version, inspection.draft ? 'draft' : 'published');
      if (!inspection.draft) throw new DomainError(DomainErrorCode.Conflict, 'the inspection is already published');
      const recs = await tx.recommendations.lockOfInspection(id);
      await tx.inspections.publish(id, inspection.version + 1, now);
      for (const rec of recs) Object.assign(rec, { draft: false, updatedAt: now });
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'inspection',
        entityId: id,
        action: 'inspection.published',
        changes: { draft: { from: true, to: false }, recommendations: recs.length },
      });
      // Each recommendation's history (and the force's "what changed since your last visit") shows when it went out.
      await tx.audit.recordAll(
        now,
        recs.map((rec) => ({
          actorId: actor.id,
          entityType: 'recommendation' as const,
          entityId: rec.id,
          action: 'recommendation.published',
          changes: { draft: { from: true, to: false } },
        })),
      );
      const deltas = new DashboardTally();
      for (const rec of recs) deltas.change(inspection.programme, rec, null, now);
      await deltas.save(tx);
      events.inspectionIssued(inspection, recs);
      return planner.syncRecommendations(tx, recs, inspection.leadInspectorId, now);
    });
  }

  /**
   * Whether `actor` may publish `id` now, without publishing it (the confirmation page): the same errors as `publish`.
   */
  async check(actor: Actor, id: string): Promise<InspectionEntity> {
    const inspection = await this.storage.pool.inspections.findById(id);
    this.assertMayPublish(actor, inspection);
    if (!inspection.draft) throw new DomainError(DomainErrorCode.Conflict, 'the inspection is already published');
    return inspection;
  }

  private assertMayPublish(actor: Actor, inspection: InspectionEntity | null): asserts inspection is InspectionEntity {
    if (!inspection || !canSeeInspection(actor, inspection)) throw notFound('inspection');
    if (!canManageInspection(actor, inspection))
      throw new DomainError(
        DomainErrorCode.Forbidden,
        'only the lead inspector or an administrator may publish this inspection',
      );
  }
}
