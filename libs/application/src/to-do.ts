// "My work" as the person's complete to-do list, its counts (the API's GET /work) and what changed since their last
// visit.
import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_STALE_AFTER,
  DeadlineType,
  Role,
  commissionerCommentsDueAt,
  hasNoRecentProgress,
  overdueState,
  staleBefore,
  visibleOrganisations,
  wholeDaysBetween,
  type Actor,
  type RecommendationStatus,
} from '#domain';
import { Storage, type ChangeRow, type InspectionDeadlineRow, type ToDoCountRow, type ToDoRow } from '#persistence';
import { NotificationPlanner } from './notification-planner.js';
import { CLOCK, type Clock } from './tokens.js';

import {
  CHANGES_LIMIT,
  INSPECTOR_GROUPS,
  LIAISON_GROUPS,
  TO_DO_LIMIT,
  type Change,
  type Changes,
  type ForceAtRisk,
  type InspectionDeadline,
  type MyWork,
  type ToDoGroup,
  type ToDoGroupId,
  type ToDoItem,
  type WorkCounts,
} from './to-do-views.js';

export * from './to-do-views.js';

/**
 * Workflow steps that matter to each role when someone else takes them (history entries of other kinds are left out).
 */
const CHANGES_FOR: Record<Role, readonly string[]> = {
  liaison: [
    'return',
    'authorise_closure',
    'close',
    'reopen',
    'recommendation.deadlines_recomputed',
    'recommendation.issued',
    'recommendation.published',
  ],
  inspector: [
    'submit_plan',
    'update_progress',
    'propose_closure',
    'withdraw_closure',
    'amend_plan',
    'recommendation.deadlines_recomputed',
  ],
  manager: ['return', 'authorise_closure', 'close', 'reopen', 'propose_closure', 'recommendation.deadlines_recomputed'],
  admin: ['return', 'authorise_closure', 'close', 'reopen', 'propose_closure', 'recommendation.deadlines_recomputed'],
};

@Injectable()
export class ToDoService {
  constructor(
    private readonly storage: Storage,
    private readonly planner: NotificationPlanner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** STALE_AFTER: how long without progress makes a planned recommendation "No recent progress". */
  get staleAfter(): string {
    return this.planner.settings.staleAfter ?? DEFAULT_STALE_AFTER;
  }

  /**
   * Planned recommendations with no recent progress the actor sees (in one force, when given): the dashboard's count.
   */
  async noRecentProgress(actor: Actor, organisationId?: string): Promise<number> {
    const forces = await this.forcesAtRisk(actor, this.clock.now());
    return forces
      .filter((f) => !organisationId || f.organisationId === organisationId)
      .reduce((sum, f) => sum + f.noRecentProgress, 0);
  }

  async myWork(actor: Actor): Promise<MyWork> {
    const now = this.clock.now();
    const todo = this.storage.pool.toDo;
    const changes = await this.changes(actor, now);
    switch (actor.role) {
      case Role.Liaison: {
        const [rows, counts] = await Promise.all([
          todo.liaison(actor.organisationIds, TO_DO_LIMIT),
          todo.liaisonCounts(actor.organisationIds),
        ]);
        return { role: Role.Liaison, groups: this.groups(LIAISON_GROUPS, rows, counts, now), changes };
      }
      case Role.Inspector: {
        const [rows, counts, inspections, drafts] = await Promise.all([
          todo.review(actor.id, TO_DO_LIMIT),
          todo.reviewCounts(actor.id),
          todo.inspectionDeadlines(actor.id, now, TO_DO_LIMIT),
          todo.drafts(actor.id, TO_DO_LIMIT),
        ]);
        return {
          role: Role.Inspector,
          groups: this.groups(INSPECTOR_GROUPS, rows, counts, now),
          inspections: inspections.map((i) => ({
            inspectionId: i.id,
            title: i.title,
            organisationName: i.organisationName,
            open: Number(i.open),
            overdue: Number(i.overdue),
            next: nextDeadlines(i, now),
          })),
          drafts: drafts.map((d) => ({
            inspectionId: d.id,
            title: d.title,
            organisationName: d.organisationName,
            recommendations: Number(d.recommendations),
          })),
          changes,
        };
      }
      default: {
        const forces = await this.forcesAtRisk(actor, now);
        return {
          role: actor.role,
          forces,
          totalOverdue: forces.reduce((sum, f) => sum + f.overdue, 0),
          totalNoRecentProgress: forces.reduce((sum, f) => sum + f.noRecentProgress, 0),
          changes,
        };
      }
    }
  }

  /** How many items wait on the caller, by group: the figures My work shows. */
  async counts(actor: Actor): Promise<WorkCounts> {
    const now = this.clock.now();
    const todo = this.storage.pool.toDo;
    let groups: { id: string; count: number }[];
    switch (actor.role) {
      case Role.Liaison: {
        const counts = countMap(await todo.liaisonCounts(actor.organisationIds));
        groups = LIAISON_GROUPS.map((id) => ({ id, count: counts.get(id) ?? 0 }));
        break;
      }
      case Role.Inspector: {
        const counts = countMap(await todo.reviewCounts(actor.id));
        groups = INSPECTOR_GROUPS.map((id) => ({ id, count: counts.get(id) ?? 0 }));
        break;
      }
      default: {
        const forces = await this.forcesAtRisk(actor, now);
        groups = [
          { id: 'overdue', count: forces.reduce((sum, f) => sum + f.overdue, 0) },
          { id: 'no_recent_progress', count: forces.reduce((sum, f) => sum + f.noRecentProgress, 0) },
        ];
      }
    }
    return {
      role: actor.role,
      total:
        actor.role === Role.Liaison || actor.role === Role.Inspector
          ? groups.reduce((s, g) => s + g.count, 0)
          : groups[0].count,
      groups,
    };
  }

  private async forcesAtRisk(actor: Actor, now: Date): Promise<ForceAtRisk[]> {
    const visible = visibleOrganisations(actor);
    const rows = await this.storage.pool.toDo.forcesAtRisk(
      visible === 'all' ? null : visible,
      now,
      staleBefore(now, this.staleAfter),
    );
    return rows.map((r) => ({
      organisationId: r.organisationId,
      organisationName: r.organisationName,
      overdue: Number(r.overdue),
      noRecentProgress: Number(r.stale),
    }));
  }

  /** What others did to the person's items since their previous sign-in, newest first. */
  private async changes(actor: Actor, now: Date): Promise<Changes> {
    const since = await this.storage.pool.users.previousSignIn(actor.id);
    if (!since) return { since: null, items: [] };
    const visible = visibleOrganisations(actor);
    const rows = await this.storage.pool.toDo.changesSince(
      since,
      actor.id,
      visible === 'all' ? null : visible,
      actor.role === Role.Inspector ? actor.id : null,
      CHANGES_FOR[actor.role],
      CHANGES_LIMIT,
    );
    void now;
    return { since: since.toISOString(), items: rows.map(change) };
  }

  private groups(ids: readonly ToDoGroupId[], rows: ToDoRow[], counts: ToDoCountRow[], now: Date): ToDoGroup[] {
    const total = countMap(counts);
    return ids.map((id) => ({
      id,
      count: total.get(id) ?? 0,
      items: rows.filter((r) => r.group === id).map((r) => this.item(r, now)),
    }));
  }

  private item(r: ToDoRow, now: Date): ToDoItem {
    const status = r.status as RecommendationStatus;
    const deadlines = { status, actionPlanDueAt: r.actionPlanDueAt, dueAt: r.dueAt };
    const planDue = status === 'issued';
    const overdue = overdueState(deadlines, now);
    return {
      id: r.id,
      reference: r.reference,
      text: r.text,
      status,
      organisationName: r.organisationName,
      inspectionId: r.inspectionId,
      inspectionTitle: r.inspectionTitle,
      deadlineType: planDue ? DeadlineType.ActionPlan : DeadlineType.DueDate,
      deadlineAt: (planDue ? r.actionPlanDueAt : r.dueAt).toISOString(),
      overdue: overdue.overdue,
      daysOverdue: overdue.daysOverdue,
      noRecentProgress: hasNoRecentProgress({ status, progressAt: r.progressAt }, now, this.staleAfter),
      waitingSince: new Date(r.waitingSince).toISOString(),
      waitingDays: Math.max(0, wholeDaysBetween(new Date(r.waitingSince).getTime(), now.getTime())),
      detail: r.detail,
    };
  }
}

function countMap(rows: readonly ToDoCountRow[]): Map<string, number> {
  return new Map(rows.map((r) => [r.group, Number(r.n)]));
}

function nextDeadlines(
  i: Pick<InspectionDeadlineRow, 'publishedAt' | 'revisitDueAt' | 'nextActionPlanAt' | 'nextDueAt'>,
  now: Date,
): InspectionDeadline['next'] {
  const candidates: InspectionDeadline['next'] = [];
  if (i.nextActionPlanAt) candidates.push({ what: 'action_plan', at: new Date(i.nextActionPlanAt).toISOString() });
  if (i.nextDueAt) candidates.push({ what: 'due_date', at: new Date(i.nextDueAt).toISOString() });
  const comments = commissionerCommentsDueAt(new Date(i.publishedAt));
  if (comments.getTime() >= now.getTime())
    candidates.push({ what: 'commissioner_comments', at: comments.toISOString() });
  if (new Date(i.revisitDueAt).getTime() >= now.getTime())
    candidates.push({ what: 'revisit', at: new Date(i.revisitDueAt).toISOString() });
  return candidates.sort((a, b) => a.at.localeCompare(b.at));
}

function change(r: ChangeRow): Change {
  const changes = (r.changes ?? {}) as Record<string, { from?: unknown; to?: unknown } | undefined>;
  // A date moved: it had one before (a first target date, given with the plan, is not a move).
  const movedField = ['targetDate', 'dueAt', 'actionPlanDueAt'].find(
    (f) => changes[f]?.from != null && changes[f]?.to != null,
  );
  const moved = movedField ? changes[movedField]!.to : null;
  return {
    at: new Date(r.at).toISOString(),
    action: r.action,
    comment: r.comment,
    actorName: r.actorName,
    recommendationId: r.recommendationId,
    reference: r.reference,
    inspectionTitle: r.inspectionTitle,
    organisationName: r.organisationName,
    movedTo: typeof moved === 'string' ? moved : null,
  };
}
