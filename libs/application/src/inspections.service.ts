// Inspections and their recommendations: creation (also from CSV), reading, and date changes that re-derive every
// deadline.
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  DomainErrorCode,
  assertInspectionLimits,
  assertVersion,
  Role,
  canManageInspection,
  canSeeDrafts,
  canSeeInspection,
  commissionerCommentsDueAt,
  inspectionDeadlines,
  invalidInput,
  notFound,
  recommendationDueAt,
  validateTimeframe,
  type Actor,
} from '#domain';
import { Storage, type InspectionEntity } from '#persistence';
import { diff } from './audit.js';
import { DashboardTally } from './dashboard-tally.js';
import {
  assertUniqueReferences,
  issuedRecommendations,
  namingField,
  policyFor,
  recomputeRecommendationDeadlines,
  type NewRecommendation,
} from './inspection-deadlines.js';
import { readRecommendationsCsv } from './records/recommendations-csv.js';
import { decodeCursor, pageSize, toPage, type PageRequest } from './paging.js';
import { Replanning } from './replanning.js';
import { CLOCK, type Clock } from './tokens.js';
import { inspectionView, recommendationView, type InspectionView } from './views.js';

export type { NewRecommendation } from './inspection-deadlines.js';

export interface CreateInspectionInput {
  organisationId: string;
  title: string;
  programme: string;
  publishedAt: Date;
  leadInspectorId: string;
  actionPlanDueAt?: Date | null;
  revisitDueAt?: Date | null;
  /**
   * Created as a draft: seen only by inspectorate staff, nothing planned or sent until it is published (imports are
   * drafts).
   */
  draft?: boolean;
  recommendations: NewRecommendation[];
}

export interface UpdateInspectionInput {
  version: number;
  title?: string;
  publishedAt?: Date;
  actionPlanDueAt?: Date;
  revisitDueAt?: Date;
  /** Administrators only: a reason withholds the inspection from the public register; null shows it again. */
  registerWithheldReason?: string | null;
}

@Injectable()
export class InspectionsService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly storage: Storage,
    private readonly replanning: Replanning,
  ) {}

  async create(actor: Actor, input: CreateInspectionInput): Promise<InspectionView> {
    assertInspectionLimits(input);
    assertUniqueReferences(input.recommendations);
    input.recommendations.forEach(
      (r, i) => r.timeframe != null && validateTimeframe(r.timeframe, `recommendations[${i}].timeframe`),
    );
    const now = this.clock.now();
    let id = '';
    const draft = input.draft === true;
    await this.replanning.run(async (tx, planner, events) => {
      if (!(await tx.organisations.findById(input.organisationId))) {
        throw invalidInput('organisationId does not name an organisation');
      }
      if ((await tx.users.findById(input.leadInspectorId))?.role !== Role.Inspector)
        throw invalidInput('leadInspectorId must name an inspector');

      const policy = await policyFor(tx, input.programme);
      const deadlines = namingField('publishedAt', () => inspectionDeadlines(input, policy));
      const inspection = await tx.inspections.insert({
        organisationId: input.organisationId,
        title: input.title.trim(),
        programme: input.programme.trim(),
        publishedAt: input.publishedAt,
        leadInspectorId: input.leadInspectorId,
        actionPlanDueAt: deadlines.actionPlanDueAt,
        actionPlanDueExplicit: input.actionPlanDueAt != null,
        revisitDueAt: deadlines.revisitDueAt,
        revisitDueExplicit: input.revisitDueAt != null,
        draft,
      });
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'inspection',
        entityId: inspection.id,
        action: 'inspection.created',
        changes: {
          title: inspection.title,
          programme: inspection.programme,
          publishedAt: input.publishedAt.toISOString(),
          organisationId: input.organisationId,
          ...(draft ? { draft: true } : {}),
        },
      });

      const issued = issuedRecommendations(input, inspection.id, deadlines, policy, draft);
      const saved = await tx.recommendations.insertAll(issued);
      await tx.audit.recordAll(
        now,
        saved.map((rec) => ({
          actorId: actor.id,
          entityType: 'recommendation' as const,
          entityId: rec.id,
          action: 'recommendation.issued',
          toStatus: rec.status,
          changes: {
            reference: rec.reference,
            dueAt: rec.dueAt.toISOString(),
            actionPlanDueAt: rec.actionPlanDueAt.toISOString(),
            ...(rec.area ? { area: rec.area } : {}),
          },
        })),
      );
      id = inspection.id;
      if (draft) return []; // counted, announced and planned when published (InspectionPublishing)
      const deltas = new DashboardTally();
      for (const rec of saved) deltas.change(inspection.programme, rec, null, now);
      await deltas.save(tx);
      events.inspectionIssued(inspection, saved);
      return planner.syncRecommendations(tx, saved, inspection.leadInspectorId, now);
    });
    return this.get(actor, id);
  }

  /**
   * Creates an inspection with the recommendations of a CSV file (see readRecommendationsCsv): the file is
   * checked whole first, then everything is created in one transaction by `create`, under its rules and limits.
   * An import is a draft unless `draft: false` is asked for: it is published with `POST /inspections/:id/publish`.
   */
  async importCsv(
    actor: Actor,
    input: Omit<CreateInspectionInput, 'recommendations'>,
    file: Buffer | string,
  ): Promise<InspectionView> {
    const rows = readRecommendationsCsv(file);
    return this.create(actor, {
      ...input,
      draft: input.draft ?? true,
      recommendations: rows.map((r) => ({
        reference: r.reference,
        text: r.text,
        timeframe: r.timeframe,
        dueAt: r.dueAt,
        priority: r.priority,
        area: r.area,
      })),
    });
  }

  /**
   * What an import would create, without saving: the inspection's deadlines and each row's due date, under the
   * programme's policy.
   */
  async previewDeadlines(
    programme: string,
    publishedAt: Date,
    rows: readonly { timeframe?: string | null; dueAt?: Date | null }[],
  ) {
    const policy = await policyFor(this.storage.pool, programme);
    const deadlines = inspectionDeadlines({ publishedAt }, policy);
    return {
      ...deadlines,
      dueAt: rows.map((r) =>
        recommendationDueAt(
          { publishedAt, revisitDueAt: deadlines.revisitDueAt, timeframe: r.timeframe, dueAt: r.dueAt },
          policy,
        ),
      ),
      now: this.clock.now(),
    };
  }

  async list(actor: Actor, filter: { organisationId?: string }, request: PageRequest) {
    const limit = pageSize(request);
    const after = decodeCursor(request.cursor, ['timestamp', 'uuid']);
    const rows = await this.storage.pool.inspections.listPage(
      actor,
      { ...filter, drafts: canSeeDrafts(actor) },
      after,
      limit + 1,
    );
    return toPage(
      rows,
      limit,
      (i) => inspectionView(i, commissionerCommentsDueAt(i.publishedAt)),
      (i) => [i.createdAt.toISOString(), i.id],
    );
  }

  async get(actor: Actor, id: string): Promise<InspectionView> {
    const inspection = await this.storage.pool.inspections.findById(id);
    if (!inspection || !canSeeInspection(actor, inspection)) throw notFound('inspection');
    const recs = await this.storage.pool.recommendations.ofInspection(id);
    const now = this.clock.now();
    const supersedes = await this.storage.pool.recommendations.supersedesOf(recs.map((r) => r.id));
    return {
      ...inspectionView(inspection, commissionerCommentsDueAt(inspection.publishedAt)),
      recommendations: recs.map((r) =>
        recommendationView(r, actor, now, supersedes.get(r.id), this.replanning.planner.settings.staleAfter),
      ),
    };
  }

  /**
   * Changes dates or the title. Every deadline derived from a changed date is recomputed, and the
   * notifications of the old dates are cancelled in the same transaction: none goes out for an old date.
   */
  async update(actor: Actor, id: string, input: UpdateInspectionInput): Promise<InspectionView> {
    assertInspectionLimits({ title: input.title });
    const now = this.clock.now();
    await this.replanning.run(async (tx, planner, events) => {
      const inspection = await tx.inspections.lockForUpdate(id);
      if (!inspection || !canSeeInspection(actor, inspection)) throw notFound('inspection');
      if (!canManageInspection(actor, inspection))
        throw new DomainError(
          DomainErrorCode.Forbidden,
          'only the lead inspector or an administrator may change this inspection',
        );
      assertVersion(inspection.version, input.version);
      if (input.registerWithheldReason !== undefined && actor.role !== Role.Admin) {
        throw new DomainError(
          DomainErrorCode.Forbidden,
          'only an administrator may withhold an inspection from the public register',
        );
      }
      const withheldReason =
        input.registerWithheldReason === undefined
          ? inspection.registerWithheldReason
          : input.registerWithheldReason?.trim() || null;
      const publishedAt = input.publishedAt ?? inspection.publishedAt;
      const explicitPlan =
        input.actionPlanDueAt ?? (inspection.actionPlanDueExplicit ? inspection.actionPlanDueAt : null);
      const explicitRevisit = input.revisitDueAt ?? (inspection.revisitDueExplicit ? inspection.revisitDueAt : null);
      const policy = await policyFor(tx, inspection.programme);
      const deadlines = namingField('publishedAt', () =>
        inspectionDeadlines({ publishedAt, actionPlanDueAt: explicitPlan, revisitDueAt: explicitRevisit }, policy),
      );
      const next: Partial<InspectionEntity> = {
        title: input.title?.trim() ?? inspection.title,
        publishedAt,
        actionPlanDueAt: deadlines.actionPlanDueAt,
        actionPlanDueExplicit: explicitPlan !== null,
        revisitDueAt: deadlines.revisitDueAt,
        revisitDueExplicit: explicitRevisit !== null,
        registerWithheldReason: withheldReason,
        registerWithheldAt:
          withheldReason === inspection.registerWithheldReason
            ? inspection.registerWithheldAt
            : withheldReason === null
              ? null
              : now,
      };
      const changes = diff(inspection, next);
      if (Object.keys(changes).length === 0) return [];
      await tx.inspections.update(id, { ...next, version: inspection.version + 1, updatedAt: now });
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'inspection',
        entityId: id,
        action: 'inspection.updated',
        changes,
      });
      // A draft's dates are nobody's business outside the inspectorate yet: no `inspection.dates_changed`.
      if (!inspection.draft) events.inspectionUpdated({ ...inspection, ...next }, inspection.version + 1, changes);

      const moved = await recomputeRecommendationDeadlines(tx, actor, inspection, publishedAt, deadlines, policy, now);
      return inspection.draft ? [] : planner.syncRecommendations(tx, moved, inspection.leadInspectorId, now);
    });
    return this.get(actor, id);
  }
}
