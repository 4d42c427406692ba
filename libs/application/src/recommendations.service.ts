// Recommendations: lists with filters, detail with history, and workflow transitions in one transaction.
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  Action,
  assertSupersedes,
  authoriseAction,
  invalidInput,
  stateSince,
  DomainError,
  DomainErrorCode,
  assertVersion,
  Role,
  canManageInspection,
  canSeeDrafts,
  canSeeInspection,
  canSeeOrganisation,
  decideTransition,
  isDecision,
  nextDeadlineAt,
  notFound,
  visibleOrganisations,
  type Actor,
  type TransitionPayload,
} from '#domain';
import {
  HISTORY_IN_DETAIL,
  Storage,
  type EvidenceView,
  type HistoryEntry,
  type InspectionEntity,
  type PositionedHistoryEntry,
  type RecommendationEntity,
  type RecommendationFilter,
  type Repositories,
} from '#persistence';
import { APP_CONFIG, type AppConfig } from '#config';
import { diff } from './audit.js';
import { citableFiles } from './evidence/evidence.service.js';
import { DashboardTally, trackedState } from './dashboard-tally.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './paging.js';
import { Replanning } from './replanning.js';
import { CLOCK, type Clock } from './tokens.js';
import { recommendationView, type RecommendationView } from './views.js';

export { HISTORY_IN_DETAIL, type EvidenceView, type HistoryEntry, type RecommendationFilter } from '#persistence';

export interface TransitionInput extends TransitionPayload {
  action: string;
  version: number;
}

export interface RecommendationDetail extends RecommendationView {
  evidence: EvidenceView[];
  /** The oldest HISTORY_IN_DETAIL entries; `historyNextCursor` pages on through GET /recommendations/:id/history. */
  history: HistoryEntry[];
  historyNextCursor: string | null;
}

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly storage: Storage,
    private readonly replanning: Replanning,
    @Inject(CLOCK) private readonly clock: Clock,
    /** Optional for the benchmarks that build the service by hand (no evidence files there). */
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  private get staleAfter(): string | undefined {
    return this.replanning.planner.settings.staleAfter;
  }

  async list(actor: Actor, filter: RecommendationFilter, request: PageRequest) {
    const now = this.clock.now();
    const limit = pageSize(request);
    // Most overdue first (the longest-passed deadline leads); otherwise in order of creation; then by reference, as
    // people count.
    const order = filter.overdue === true ? 'nextDeadlineAt' : 'createdAt';
    const after = decodeCursor(request.cursor, ['timestamp', 'text', 'uuid']);
    const rows = await this.storage.pool.recommendations.listPage({
      filter,
      visible: visibleOrganisations(actor),
      drafts: canSeeDrafts(actor),
      order,
      after,
      now,
      limit: limit + 1,
    });
    return toPage(
      rows,
      limit,
      (r) => recommendationView(r, actor, now, r.supersedes, this.staleAfter),
      (r) => [r[order]!.toISOString(), r.reference, r.id],
    );
  }

  /** Every recommendation the list would show for `filter`, page by page (keyset), for a streamed export. */
  async *pages(actor: Actor, filter: RecommendationFilter, pageSize = 1000): AsyncGenerator<RecommendationView[]> {
    let cursor: string | undefined;
    do {
      const page = await this.list(actor, filter, { limit: pageSize, cursor, maxLimit: pageSize });
      if (page.items.length > 0) yield page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  async get(actor: Actor, id: string): Promise<RecommendationDetail> {
    const row = await this.storage.pool.recommendations.detail(id, HISTORY_IN_DETAIL + 1);
    if (!row || !canSeeInspection(actor, row)) throw notFound('recommendation');
    const { evidence, history, supersedes, ...rec } = row;
    const page = historyPage(history, HISTORY_IN_DETAIL);
    return {
      ...recommendationView(rec, actor, this.clock.now(), supersedes, this.staleAfter),
      evidence,
      history: page.items,
      historyNextCursor: page.nextCursor,
    };
  }

  /** A recommendation's history, oldest first, a page at a time (an extension of the contract). */
  async history(actor: Actor, id: string, request: PageRequest): Promise<Page<HistoryEntry>> {
    const after = decodeCursor(request.cursor, ['integer', 'uuid']);
    const limit = pageSize(request);
    const row = await this.storage.pool.recommendations.historyPage(id, after?.[0] ?? null, limit + 1);
    if (!row || !canSeeInspection(actor, row)) throw notFound('recommendation');
    return historyPage(row.history, limit);
  }

  /** One workflow action: decided by the domain, stored with its audit event and notifications in one transaction. */
  async transition(actor: Actor, id: string, input: TransitionInput): Promise<RecommendationDetail> {
    const now = this.clock.now();
    await this.replanning.run(async (tx, planner, events) => {
      const rec = await tx.recommendations.lockForUpdate(id);
      if (!rec || !canSeeInspection(actor, rec)) throw notFound('recommendation');
      const inspection = await tx.inspections.get(rec.inspectionId);
      const { decision } = await this.decide(tx, actor, rec, inspection, input);
      const before = trackedState(rec);
      const closedAt = decision.toStatus === 'closed' ? (decision.fromStatus === 'closed' ? rec.closedAt : now) : null;
      const changes = diff(rec, { ...decision.changes, closedAt });
      // Any step that leaves it planned is progress: "no recent progress" counts from the latest.
      const progressAt = decision.toStatus === 'planned' ? now : null;
      Object.assign(rec, decision.changes, { closedAt, progressAt, version: rec.version + 1, updatedAt: now });
      rec.nextDeadlineAt = nextDeadlineAt(rec);
      const after = trackedState(rec);
      if (after.open !== before.open || after.nextDeadlineAt?.getTime() !== before.nextDeadlineAt?.getTime()) {
        rec.stateSince = stateSince(now, inspection.publishedAt);
        await new DashboardTally().change(inspection.programme, rec, before, now).save(tx);
      }
      await tx.recommendations.update(id, {
        ...decision.changes,
        closedAt,
        progressAt,
        nextDeadlineAt: rec.nextDeadlineAt,
        stateSince: rec.stateSince,
        version: rec.version,
        updatedAt: now,
      });
      if (decision.action === Action.ProposeClosure) {
        const items = input.evidence ?? [];
        const cited = await citableFiles(tx, id, items, this.config?.evidence.scan ?? 'missing');
        const evidenceIds = await tx.recommendations.insertEvidence(
          items.map((e) => ({
            recommendationId: id,
            title: e.title.trim(),
            url: e.url ?? null,
            note: e.note ?? null,
            submittedBy: actor.id,
            createdAt: now,
          })),
        );
        for (const [i, files] of cited.entries())
          await tx.evidenceFiles.cite(
            evidenceIds[i],
            files.map((f) => f.id),
          );
        changes.evidence = { from: null, to: items.map((e) => e.title) };
        if (cited.some((files) => files.length > 0))
          changes.evidenceFiles = {
            from: null,
            to: cited.flat().map((f) => ({ id: f.id, name: f.name, sha256: f.sha256 })),
          };
      }
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'recommendation',
        entityId: id,
        action: decision.action,
        fromStatus: decision.fromStatus,
        toStatus: decision.toStatus,
        comment: input.comment ?? null,
        changes,
      });
      events.transitioned(rec, inspection, {
        ...decision,
        comment: input.comment,
        evidence: decision.action === Action.ProposeClosure ? input.evidence : undefined,
      });
      const batches = await planner.syncRecommendations(tx, [rec], inspection.leadInspectorId, now);
      if (decision.action === Action.ProposeClosure)
        batches.push(...(await planner.planReviewNeeded(tx, rec, inspection.leadInspectorId, now)));
      if (isDecision(decision.action)) batches.push(...(await planner.planDecision(tx, rec, now)));
      return batches;
    });
    return this.get(actor, id);
  }

  /**
   * Whether `input` would be taken now, without taking it: the same checks, in the same order, as
   * `transition` (for a page that asks the person to confirm before anything is saved). Throws the same
   * domain errors; changes nothing.
   */
  async check(actor: Actor, id: string, input: TransitionInput): Promise<void> {
    const rec = await this.storage.pool.recommendations.get(id);
    if (!rec || !canSeeInspection(actor, rec)) throw notFound('recommendation');
    await this.decide(this.storage.pool, actor, rec, await this.storage.pool.inspections.get(rec.inspectionId), input);
  }

  /** Who may act comes first (403), before the version (409), the state (409) and the payload (400). */
  private async decide(
    tx: Repositories,
    actor: Actor,
    rec: RecommendationEntity,
    inspection: InspectionEntity,
    input: TransitionInput,
  ) {
    authoriseAction(input.action, actor.role);
    // An inspector acts only on inspections they lead; a liaison's organisation was checked by the caller.
    if (actor.role === Role.Inspector && !canManageInspection(actor, inspection)) {
      throw new DomainError(DomainErrorCode.Forbidden, 'only the lead inspector of this inspection may do that');
    }
    assertVersion(rec.version, input.version, `status ${rec.status}`);
    // A draft's recommendations wait for it: no workflow (and so no notice) until the inspection is published.
    if (inspection.draft)
      throw new DomainError(
        DomainErrorCode.TransitionNotAllowed,
        `the inspection is a draft: publish it before acting on its recommendations (status ${rec.status})`,
      );
    const { action, version: _version, ...payload } = input;
    const decision = decideTransition(rec, action, actor.role, payload);
    if (payload.supersededById !== undefined)
      await this.assertReplacement(tx, actor, rec, inspection, payload.supersededById);
    return { decision, payload };
  }

  /** The replacement named when closing as superseded: visible to the actor, of a later inspection. */
  private async assertReplacement(
    tx: Repositories,
    actor: Actor,
    rec: RecommendationEntity,
    inspection: InspectionEntity,
    replacementId: string,
  ): Promise<void> {
    const replacement = await tx.recommendations.replacementCandidate(replacementId);
    if (!replacement || !canSeeOrganisation(actor, replacement.organisationId))
      throw invalidInput('supersededById does not name a recommendation you can see');
    assertSupersedes({ id: rec.id, inspectionId: inspection.id, publishedAt: inspection.publishedAt }, replacement);
  }
}

/** Entries come with their chain position and id, which make the cursor and are not part of the view. */
function historyPage(entries: PositionedHistoryEntry[], limit: number): Page<HistoryEntry> {
  return toPage(
    entries,
    limit,
    ({ seq: _seq, id: _id, ...entry }) => entry,
    (e) => [e.seq, e.id],
  );
}
