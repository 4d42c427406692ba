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
  type Actor,
  type TransitionPayload,
} from '#domain';
import { AuditEventEntity, EvidenceEntity, InspectionEntity, RecommendationEntity } from '#persistence';
import { audit, diff } from './audit.js';
import { supersedesOf } from './lineage.js';
import { DashboardTally, trackedState } from './dashboard-tally.js';
import { NotificationPlanner } from './notification-planner.js';
import { decodeCursor, pageSize, toPage, type PageRequest } from './paging.js';
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
  history: HistoryEntry[];
}

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
    if (filter.area !== undefined) query.andWhere(filter.area === '' ? 'r.area IS NULL' : 'r.area = :area', { area: filter.area });
    if (filter.open !== undefined) query.andWhere(filter.open ? `r.status <> 'closed'` : `r.status = 'closed'`);
    if (filter.ageBand) {
      const b = ageBandBoundaries(now);
      const [after, before] = { under_3_months: [b.threeMonths, now], '3_to_6_months': [b.sixMonths, b.threeMonths], '6_to_12_months': [b.twelveMonths, b.sixMonths], over_12_months: [null, b.twelveMonths] }[filter.ageBand];
      query.andWhere('r.nextDeadlineAt < :bandBefore', { bandBefore: before });
      if (after) query.andWhere('r.nextDeadlineAt >= :bandAfter', { bandAfter: after });
    }
    if (filter.publishedBefore) query.andWhere('r.inspectionId IN (SELECT pi.id FROM inspections pi WHERE pi.published_at < :publishedBefore)', { publishedBefore: filter.publishedBefore });
    if (filter.programme) query.andWhere('r.inspectionId IN (SELECT i.id FROM inspections i WHERE i.programme = :programme)', { programme: filter.programme });

    if (filter.overdue !== undefined) {
      // next_deadline_at is the earliest deadline still active: overdue means it has passed.
      query.andWhere(filter.overdue ? 'r.nextDeadlineAt < :now' : '(r.nextDeadlineAt IS NULL OR r.nextDeadlineAt >= :now)', { now });
    }
    if (filter.overdue === true) {
      // Most overdue first: the longest-passed deadline leads.
      const after = decodeCursor(request.cursor, 2);
      if (after) query.andWhere('(r.nextDeadlineAt, r.id) > (:t, :id)', { t: after[0], id: after[1] });
      query.orderBy('r.nextDeadlineAt', 'ASC').addOrderBy('r.id', 'ASC');
      const rows = await query.getMany();
      const supersedes = await supersedesOf(this.db, rows.map((r) => r.id));
      return toPage(rows, limit, (r) => recommendationView(r, actor, now, supersedes.get(r.id)), (r) => [r.nextDeadlineAt!.toISOString(), r.id]);
    }
    const after = decodeCursor(request.cursor, 2);
    if (after) query.andWhere('(r.createdAt, r.id) > (:t, :id)', { t: after[0], id: after[1] });
    query.orderBy('r.createdAt', 'ASC').addOrderBy('r.id', 'ASC');
    const rows = await query.getMany();
    const supersedes = await supersedesOf(this.db, rows.map((r) => r.id));
    return toPage(rows, limit, (r) => recommendationView(r, actor, now, supersedes.get(r.id)), (r) => [r.createdAt.toISOString(), r.id]);
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
    const rec = await this.db.getRepository(RecommendationEntity).findOneBy({ id });
    if (!rec || !canSeeOrganisation(actor, rec.organisationId)) throw notFound('recommendation');
    const [evidence, events, supersedes] = await Promise.all([
      this.db.getRepository(EvidenceEntity).find({ where: { recommendationId: id }, order: { createdAt: 'ASC' } }),
      this.db.getRepository(AuditEventEntity).find({ where: { entityType: 'recommendation', entityId: id }, order: { seq: 'ASC' } }),
      supersedesOf(this.db, [id]),
    ]);
    return {
      ...recommendationView(rec, actor, this.clock.now(), supersedes.get(id)),
      evidence: evidence.map((e) => ({ id: e.id, title: e.title, url: e.url, note: e.note, submittedBy: e.submittedBy, createdAt: e.createdAt.toISOString() })),
      history: events.map((e) => ({
        at: e.at.toISOString(),
        actorId: e.actorId,
        action: e.action,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        comment: e.comment,
        changes: e.changes,
      })),
    };
  }

  /** One workflow action: decided by the domain, stored with its audit event and notifications in one transaction. */
  async transition(actor: Actor, id: string, input: TransitionInput): Promise<RecommendationDetail> {
    const now = this.clock.now();
    const batches = await this.db.transaction(async (manager) => {
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
        await new DashboardTally().change(inspection.programme, rec, before, now).save(manager);
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
