// Recommendations: lists with filters, detail with history, and workflow transitions in one transaction.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  Action,
  ageBandBoundaries,
  assertSupersedes,
  type AgeBand,
  authoriseAction,
  invalidInput,
  stateSince,
  DomainError,
  DomainErrorCode,
  assertVersion,
  Role,
  canManageInspection,
  canSeeOrganisation,
  decideTransition,
  nextDeadlineAt,
  notFound,
  visibleOrganisations,
  type Actor,
  type TransitionPayload,
} from '#domain';
import { EvidenceEntity, InspectionEntity, RecommendationEntity } from '#persistence';
import { diff } from './audit.js';
import { DashboardTally, trackedState } from './dashboard-tally.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './paging.js';
import { Replanning } from './replanning.js';
import { CLOCK, type Clock } from './tokens.js';
import {
  HISTORY_IN_DETAIL,
  SqlConditions,
  selectHistoryPage,
  selectRecommendationDetail,
  selectRecommendations,
  type EvidenceView,
  type HistoryEntry,
  type PositionedHistoryEntry,
  type RecommendationRow,
} from './recommendation-queries.js';
import { recommendationView, type RecommendationView } from './views.js';

export { HISTORY_IN_DETAIL, type EvidenceView, type HistoryEntry } from './recommendation-queries.js';

export interface RecommendationFilter {
  organisationId?: string;
  inspectionId?: string;
  status?: string;
  overdue?: boolean;
  priority?: boolean;
  dueBefore?: Date;
  area?: string;
  programme?: string;
  /** true: not closed; false: closed. */
  open?: boolean;
  /** Overdue, in this band of how long ago its deadline passed (as the dashboard counts). */
  ageBand?: AgeBand;
  /** Of inspections published before this. */
  publishedBefore?: Date;
}

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
    private readonly db: DataSource,
    private readonly replanning: Replanning,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, filter: RecommendationFilter, request: PageRequest) {
    const now = this.clock.now();
    const limit = pageSize(request);
    const where = new SqlConditions();
    const visible = visibleOrganisations(actor);
    if (visible !== 'all') where.add('r.organisation_id = ANY(?1::uuid[])', [...visible]);
    if (filter.organisationId) where.add('r.organisation_id = ?1', filter.organisationId);
    if (filter.inspectionId) where.add('r.inspection_id = ?1', filter.inspectionId);
    if (filter.status) where.add('r.status = ?1', filter.status);
    if (filter.priority !== undefined) where.add('r.priority = ?1', filter.priority);
    if (filter.dueBefore) where.add('r.due_at < ?1', filter.dueBefore);
    if (filter.area !== undefined) {
      if (filter.area === '') where.add('r.area IS NULL');
      else where.add('r.area = ?1', filter.area);
    }
    if (filter.open !== undefined) where.add(filter.open ? `r.status <> 'closed'` : `r.status = 'closed'`);
    if (filter.ageBand) {
      const b = ageBandBoundaries(now);
      const [bandAfter, bandBefore] = { under_3_months: [b.threeMonths, now], '3_to_6_months': [b.sixMonths, b.threeMonths], '6_to_12_months': [b.twelveMonths, b.sixMonths], over_12_months: [null, b.twelveMonths] }[filter.ageBand];
      where.add('r.next_deadline_at < ?1', bandBefore);
      if (bandAfter) where.add('r.next_deadline_at >= ?1', bandAfter);
    }
    if (filter.publishedBefore) where.add('r.inspection_id IN (SELECT pi.id FROM inspections pi WHERE pi.published_at < ?1)', filter.publishedBefore);
    if (filter.programme) where.add('r.inspection_id IN (SELECT i.id FROM inspections i WHERE i.programme = ?1)', filter.programme);
    // next_deadline_at is the earliest deadline still active: overdue means it has passed.
    if (filter.overdue !== undefined) where.add(filter.overdue ? 'r.next_deadline_at < ?1' : '(r.next_deadline_at IS NULL OR r.next_deadline_at >= ?1)', now);

    // Most overdue first (the longest-passed deadline leads); otherwise in order of creation.
    const orderBy = filter.overdue === true ? 'next_deadline_at' : 'created_at';
    const after = decodeCursor(request.cursor, ['timestamp', 'uuid']);
    if (after) where.add(`(r.${orderBy}, r.id) > (?1::timestamptz, ?2::uuid)`, after[0], after[1]);
    const rows = await selectRecommendations(this.db, { conditions: where, orderBy, limit: limit + 1 });
    const key = orderBy === 'next_deadline_at' ? (r: RecommendationRow) => r.nextDeadlineAt! : (r: RecommendationRow) => r.createdAt;
    return toPage(rows, limit, (r) => recommendationView(r, actor, now, r.supersedes), (r) => [key(r).toISOString(), r.id]);
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
    const row = await selectRecommendationDetail(this.db, id, HISTORY_IN_DETAIL + 1);
    if (!row || !canSeeOrganisation(actor, row.organisationId)) throw notFound('recommendation');
    const { evidence, history, supersedes, ...rec } = row;
    const page = historyPage(history, HISTORY_IN_DETAIL);
    return { ...recommendationView(rec, actor, this.clock.now(), supersedes), evidence, history: page.items, historyNextCursor: page.nextCursor };
  }

  /** A recommendation's history, oldest first, a page at a time (an extension of the contract). */
  async history(actor: Actor, id: string, request: PageRequest): Promise<Page<HistoryEntry>> {
    const after = decodeCursor(request.cursor, ['integer', 'uuid']);
    const limit = pageSize(request);
    const row = await selectHistoryPage(this.db, id, after?.[0] ?? null, limit + 1);
    if (!row || !canSeeOrganisation(actor, row.organisationId)) throw notFound('recommendation');
    return historyPage(row.history, limit);
  }

  /** One workflow action: decided by the domain, stored with its audit event and notifications in one transaction. */
  async transition(actor: Actor, id: string, input: TransitionInput): Promise<RecommendationDetail> {
    const now = this.clock.now();
    await this.replanning.run(async (tx, planner) => {
      const manager = tx.manager;
      const rec = await manager.findOne(RecommendationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!rec || !canSeeOrganisation(actor, rec.organisationId)) throw notFound('recommendation');
      const inspection = await manager.findOneByOrFail(InspectionEntity, { id: rec.inspectionId });
      // Who may act comes first (403), before the version (409), the state (409) and the payload (400).
      // An inspector acts only on inspections they lead; a liaison's organisation was checked above.
      authoriseAction(input.action, actor.role);
      if (actor.role === Role.Inspector && !canManageInspection(actor, inspection)) {
        throw new DomainError(DomainErrorCode.Forbidden, 'only the lead inspector of this inspection may do that');
      }
      assertVersion(rec.version, input.version, `status ${rec.status}`);
      const { action, version: _version, ...payload } = input;
      const decision = decideTransition(rec, action, actor.role, payload);
      if (payload.supersededById !== undefined) await this.assertReplacement(manager, actor, rec, inspection, payload.supersededById);
      const before = trackedState(rec);
      const closedAt = decision.toStatus === 'closed' ? (decision.fromStatus === 'closed' ? rec.closedAt : now) : null;
      const changes = diff(rec, { ...decision.changes, closedAt });
      Object.assign(rec, decision.changes, { closedAt, version: rec.version + 1, updatedAt: now });
      rec.nextDeadlineAt = nextDeadlineAt(rec);
      const after = trackedState(rec);
      if (after.open !== before.open || after.nextDeadlineAt?.getTime() !== before.nextDeadlineAt?.getTime()) {
        rec.stateSince = stateSince(now, inspection.publishedAt);
        await new DashboardTally().change(inspection.programme, rec, before, now).save(tx);
      }
      await manager.update(RecommendationEntity, { id }, {
        ...decision.changes,
        closedAt,
        nextDeadlineAt: rec.nextDeadlineAt,
        stateSince: rec.stateSince,
        version: rec.version,
        updatedAt: now,
      });
      if (decision.action === Action.ProposeClosure) {
        await manager.insert(
          EvidenceEntity,
          (input.evidence ?? []).map((e) => ({ recommendationId: id, title: e.title.trim(), url: e.url ?? null, note: e.note ?? null, submittedBy: actor.id, createdAt: now })),
        );
        changes.evidence = { from: null, to: (input.evidence ?? []).map((e) => e.title) };
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
      const batches = await planner.syncRecommendations(tx, [rec], inspection.leadInspectorId, now);
      if (decision.action === Action.ProposeClosure) batches.push(...(await planner.planReviewNeeded(tx, rec, inspection.leadInspectorId, now)));
      return batches;
    });
    return this.get(actor, id);
  }

  /** The replacement named when closing as superseded: visible to the actor, of a later inspection. */
  private async assertReplacement(manager: EntityManager, actor: Actor, rec: RecommendationEntity, inspection: InspectionEntity, replacementId: string): Promise<void> {
    const [replacement] = (await manager.query(
      `SELECT r.id, r.organisation_id, r.inspection_id, i.published_at FROM recommendations r JOIN inspections i ON i.id = r.inspection_id WHERE r.id = $1`,
      [replacementId],
    )) as Array<{ id: string; organisation_id: string; inspection_id: string; published_at: Date }>;
    if (!replacement || !canSeeOrganisation(actor, replacement.organisation_id)) throw invalidInput('supersededById does not name a recommendation you can see');
    assertSupersedes(
      { id: rec.id, inspectionId: inspection.id, publishedAt: inspection.publishedAt },
      { id: replacement.id, inspectionId: replacement.inspection_id, publishedAt: replacement.published_at },
    );
  }
}

/** Entries come with their chain position and id, which make the cursor and are not part of the view. */
function historyPage(entries: PositionedHistoryEntry[], limit: number): Page<HistoryEntry> {
  return toPage(entries, limit, ({ seq: _seq, id: _id, ...entry }) => entry, (e) => [e.seq, e.id]);
}
