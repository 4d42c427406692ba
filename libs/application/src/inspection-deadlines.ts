// An inspection's recommendations and their deadlines: issuing new ones, and recomputing them when its dates change.
import {
  DEFAULT_FOLLOW_UP_POLICY,
  DomainError,
  DomainErrorCode,
  IMMEDIATELY,
  invalidInput,
  nextDeadlineAt,
  recommendationDueAt,
  stateSince,
  type Actor,
  type FollowUpPolicy,
} from '#domain';
import type { InspectionEntity, IssuedRecommendation, RecommendationEntity, Repositories } from '#persistence';
import { diff } from './audit.js';
import { DashboardTally, trackedState } from './dashboard-tally.js';

export interface NewRecommendation {
  reference: string;
  text: string;
  timeframe?: string | null;
  dueAt?: Date | null;
  priority?: boolean;
  area?: string | null;
}

/** An inspection's own deadlines, from which its recommendations' are derived. */
interface Deadlines {
  actionPlanDueAt: Date;
  revisitDueAt: Date;
}

/** The recommendations of a new inspection, each with its due date under the programme's policy. */
export function issuedRecommendations(
  input: { organisationId: string; publishedAt: Date; recommendations: readonly NewRecommendation[] },
  inspectionId: string,
  deadlines: Deadlines,
  policy: FollowUpPolicy,
  draft: boolean,
): IssuedRecommendation[] {
  return input.recommendations.map((r, i): IssuedRecommendation => {
    const dueAt = namingField(`recommendations[${i}].timeframe`, () =>
      recommendationDueAt(
        {
          publishedAt: input.publishedAt,
          revisitDueAt: deadlines.revisitDueAt,
          timeframe: r.timeframe,
          dueAt: r.dueAt,
        },
        policy,
      ),
    );
    const rec: Omit<IssuedRecommendation, 'nextDeadlineAt'> = {
      inspectionId,
      organisationId: input.organisationId,
      reference: r.reference.trim(),
      text: r.text,
      // "Immediately" is the inspectorate's mark of urgency.
      priority: r.priority ?? r.timeframe === IMMEDIATELY,
      timeframe: r.timeframe ?? null,
      explicitDueAt: r.dueAt ?? null,
      dueAt,
      actionPlanDueAt: deadlines.actionPlanDueAt,
      status: 'issued',
      area: r.area?.trim() || null,
      // Issued with the report, whenever it was entered: the dashboard counts it open from publication.
      stateSince: input.publishedAt,
      draft,
    };
    return { ...rec, nextDeadlineAt: nextDeadlineAt(rec) };
  });
}

/**
 * Recomputes the deadlines of every recommendation of an inspection whose dates changed, recording each move and the
 * dashboard's deltas; returns the recommendations that moved.
 */
export async function recomputeRecommendationDeadlines(
  tx: Repositories,
  actor: Actor,
  inspection: InspectionEntity,
  publishedAt: Date,
  deadlines: Deadlines,
  policy: FollowUpPolicy,
  now: Date,
): Promise<RecommendationEntity[]> {
  const id = inspection.id;
  // Lock order, everywhere: the inspection, then its recommendations by id (a transition locks only its
  // own recommendation, then a plain INSERT): a PATCH and transitions wait for each other, never deadlock.
  const recs = await tx.recommendations.lockOfInspection(id);
  const moved: RecommendationEntity[] = [];
  const deltas = new DashboardTally();
  for (const rec of recs) {
    const dueAt = namingField('publishedAt', () =>
      recommendationDueAt(
        { publishedAt, revisitDueAt: deadlines.revisitDueAt, timeframe: rec.timeframe, dueAt: rec.explicitDueAt },
        policy,
      ),
    );
    const recChanges = diff(rec, { dueAt, actionPlanDueAt: deadlines.actionPlanDueAt });
    if (Object.keys(recChanges).length === 0) continue;
    const before = trackedState(rec);
    Object.assign(rec, {
      dueAt,
      actionPlanDueAt: deadlines.actionPlanDueAt,
      version: rec.version + 1,
      updatedAt: now,
    });
    rec.nextDeadlineAt = nextDeadlineAt(rec);
    if (rec.nextDeadlineAt?.getTime() !== before.nextDeadlineAt?.getTime()) {
      rec.stateSince = stateSince(now, publishedAt);
      if (!inspection.draft) deltas.change(inspection.programme, rec, before, now);
    }
    await tx.recommendations.update(rec.id, {
      dueAt,
      actionPlanDueAt: rec.actionPlanDueAt,
      nextDeadlineAt: rec.nextDeadlineAt,
      stateSince: rec.stateSince,
      version: rec.version,
      updatedAt: now,
    });
    await tx.audit.record(now, {
      actorId: actor.id,
      entityType: 'recommendation',
      entityId: rec.id,
      action: 'recommendation.deadlines_recomputed',
      fromStatus: rec.status,
      toStatus: rec.status,
      comment: 'inspection dates changed',
      changes: recChanges,
    });
    moved.push(rec);
  }
  await deltas.save(tx);
  return moved;
}

/** The programme's follow-up policy, or the default when it has none. */
export async function policyFor(tx: Repositories, programme: string): Promise<FollowUpPolicy> {
  return (await tx.policies.forProgramme(programme.trim())) ?? DEFAULT_FOLLOW_UP_POLICY;
}

export function assertUniqueReferences(recs: readonly NewRecommendation[]): void {
  const seen = new Set<string>();
  recs.forEach((r, i) => {
    const ref = r.reference.trim();
    if (seen.has(ref))
      throw invalidInput(
        `recommendations[${i}].reference ${ref} is used twice: references are unique within an inspection`,
      );
    seen.add(ref);
  });
}

/** Runs a date computation; if it leaves the calendar, the 400 names the field that caused it. */
export function namingField<T>(field: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof DomainError && error.code === DomainErrorCode.InvalidInput)
      throw invalidInput(`${field}: ${error.message}`);
    throw error;
  }
}
