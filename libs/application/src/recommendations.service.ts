import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  Action,
  authoriseAction,
  DomainError,
  DomainErrorCode,
  assertVersion,
  Role,
  canManageInspection,
  canSeeOrganisation,
  decideTransition,
  nextDeadlineAt,
  notFound,
  type Actor,
  type TransitionPayload,
} from '#domain';
import { AuditEventEntity, EvidenceEntity, InspectionEntity, RecommendationEntity, runInTransaction } from '#persistence';
import { audit, diff } from './audit.js';
import { NotificationPlanner } from './notification-planner.js';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './paging.js';
import { CLOCK, NOTIFICATION_SCHEDULER, type Clock, type NotificationScheduler } from './tokens.js';
import { recommendationView, type RecommendationView } from './views.js';
import { onlyVisible } from './visibility.js';

export interface RecommendationFilter {
  organisationId?: string;
  inspectionId?: string;
  status?: string;
  overdue?: boolean;
  priority?: boolean;
  dueBefore?: Date;
}

export interface TransitionInput extends TransitionPayload {
  action: string;
  version: number;
}

export interface HistoryEntry {
  at: string;
  actorId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  changes: Record<string, unknown>;
}

export interface RecommendationDetail extends RecommendationView {
  evidence: { id: string; title: string; url: string | null; note: string | null; submittedBy: string; createdAt: string }[];
  /** The oldest HISTORY_IN_DETAIL entries; `historyNextCursor` pages on through GET /recommendations/:id/history. */
  history: HistoryEntry[];
  historyNextCursor: string | null;
}

/** History entries a recommendation's detail carries; the rest are a page away (docs/contract-extensions.md). */
export const HISTORY_IN_DETAIL = 200;

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly db: DataSource,
    private readonly planner: NotificationPlanner,
    @Inject(NOTIFICATION_SCHEDULER) private readonly scheduler: NotificationScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(actor: Actor, filter: RecommendationFilter, request: PageRequest) {
    const now = this.clock.now();
    const limit = pageSize(request);
    const query = this.db.getRepository(RecommendationEntity).createQueryBuilder('r').limit(limit + 1);
    onlyVisible(query, 'r.organisationId', actor);
    if (filter.organisationId) query.andWhere('r.organisationId = :organisationId', { organisationId: filter.organisationId });
    if (filter.inspectionId) query.andWhere('r.inspectionId = :inspectionId', { inspectionId: filter.inspectionId });
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.priority !== undefined) query.andWhere('r.priority = :priority', { priority: filter.priority });
    if (filter.dueBefore) query.andWhere('r.dueAt < :dueBefore', { dueBefore: filter.dueBefore });

    if (filter.overdue !== undefined) {
      // next_deadline_at is the earliest deadline still active: overdue means it has passed.
      query.andWhere(filter.overdue ? 'r.nextDeadlineAt < :now' : '(r.nextDeadlineAt IS NULL OR r.nextDeadlineAt >= :now)', { now });
    }
    if (filter.overdue === true) {
      // Most overdue first: the longest-passed deadline leads.
      const after = decodeCursor(request.cursor, ['timestamp', 'uuid']);
      if (after) query.andWhere('(r.nextDeadlineAt, r.id) > (:t, :id)', { t: after[0], id: after[1] });
      query.orderBy('r.nextDeadlineAt', 'ASC').addOrderBy('r.id', 'ASC');
      const rows = await query.getMany();
      return toPage(rows, limit, (r) => recommendationView(r, actor, now), (r) => [r.nextDeadlineAt!.toISOString(), r.id]);
    }
    const after = decodeCursor(request.cursor, ['timestamp', 'uuid']);
    if (after) query.andWhere('(r.createdAt, r.id) > (:t, :id)', { t: after[0], id: after[1] });
    query.orderBy('r.createdAt', 'ASC').addOrderBy('r.id', 'ASC');
    const rows = await query.getMany();
    return toPage(rows, limit, (r) => recommendationView(r, actor, now), (r) => [r.createdAt.toISOString(), r.id]);
  }

  async get(actor: Actor, id: string): Promise<RecommendationDetail> {
    const rec = await this.db.getRepository(RecommendationEntity).findOneBy({ id });
    if (!rec || !canSeeOrganisation(actor, rec.organisationId)) throw notFound('recommendation');
    const [evidence, history] = await Promise.all([
      this.db.getRepository(EvidenceEntity).find({ where: { recommendationId: id }, order: { createdAt: 'ASC' } }),
      this.historyPage(id, null, HISTORY_IN_DETAIL),
    ]);
    return {
      ...recommendationView(rec, actor, this.clock.now()),
      evidence: evidence.map((e) => ({ id: e.id, title: e.title, url: e.url, note: e.note, submittedBy: e.submittedBy, createdAt: e.createdAt.toISOString() })),
      history: history.items,
      historyNextCursor: history.nextCursor,
    };
  }

  /** A recommendation's history, oldest first, a page at a time (an extension of the contract). */
  async history(actor: Actor, id: string, request: PageRequest): Promise<Page<HistoryEntry>> {
    const rec = await this.db.getRepository(RecommendationEntity).findOneBy({ id });
    if (!rec || !canSeeOrganisation(actor, rec.organisationId)) throw notFound('recommendation');
    return this.historyPage(id, decodeCursor(request.cursor, ['integer', 'uuid']), pageSize(request));
  }

  private async historyPage(id: string, after: string[] | null, limit: number): Promise<Page<HistoryEntry>> {
    const query = this.db
      .getRepository(AuditEventEntity)
      .createQueryBuilder('e')
      .where('e.entityType = :type AND e.entityId = :id', { type: 'recommendation', id })
      .orderBy('e.seq', 'ASC')
      .limit(limit + 1);
    if (after) query.andWhere('e.seq > :seq', { seq: after[0] });
    const events = await query.getMany();
    return toPage(
      events,
      limit,
      (e): HistoryEntry => ({
        at: e.at.toISOString(),
        actorId: e.actorId,
        action: e.action,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        comment: e.comment,
        changes: e.changes,
      }),
      (e) => [String(e.seq), e.id],
    );
  }

  /** One workflow action: decided by the domain, stored with its audit event and notifications in one transaction. */
  async transition(actor: Actor, id: string, input: TransitionInput): Promise<RecommendationDetail> {
    const now = this.clock.now();
    const batches = await runInTransaction(this.db, async (manager) => {
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
      const changes = diff(rec, decision.changes);
      Object.assign(rec, decision.changes, { version: rec.version + 1, updatedAt: now });
      rec.nextDeadlineAt = nextDeadlineAt(rec);
      await manager.update(RecommendationEntity, { id }, {
        ...decision.changes,
        nextDeadlineAt: rec.nextDeadlineAt,
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
      await audit(manager, now, {
        actorId: actor.id,
        entityType: 'recommendation',
        entityId: id,
        action: decision.action,
        fromStatus: decision.fromStatus,
        toStatus: decision.toStatus,
        comment: input.comment ?? null,
        changes,
      });
      const batches = await this.planner.syncRecommendations(manager, [rec], inspection.leadInspectorId, now);
      if (decision.action === Action.ProposeClosure) batches.push(...(await this.planner.planReviewNeeded(manager, rec, inspection.leadInspectorId, now)));
      return batches;
    });
    await this.scheduler.scheduleBatches(batches);
    return this.get(actor, id);
  }
}
