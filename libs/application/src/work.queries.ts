// Read-only queries behind the web pages' lists: My work per role, counts per inspection, names beside ids.
import { Inject, Injectable } from '@nestjs/common';
import { DAY_MS, Role, type Actor } from '#domain';
import { Storage, type InspectionEntity, type WorkRow } from '#persistence';
import { CLOCK, type Clock } from './tokens.js';
import { recommendationView, type RecommendationView } from './views.js';

/** A recommendation in a list of work, with the names a person needs to recognise it. */
export interface WorkItem extends RecommendationView {
  organisationName: string;
  inspectionTitle: string;
}

/** A list of at most `limit` items, and whether more lie beyond it. */
export interface WorkList {
  items: WorkItem[];
  more: boolean;
}

export interface RevisitItem {
  inspectionId: string;
  title: string;
  organisationName: string;
  revisitDueAt: string;
  openRecommendations: number;
}

export interface OverdueByOrganisation {
  organisationId: string;
  organisationName: string;
  overdue: number;
}

export type MyWork =
  | { role: typeof Role.Liaison; overdue: WorkList; dueSoon: WorkList; returned: WorkList; dueSoonDays: number }
  | { role: typeof Role.Inspector; awaitingReview: WorkList; revisits: RevisitItem[]; overdue: WorkList }
  | { role: typeof Role.Manager | typeof Role.Admin; overdueByOrganisation: OverdueByOrganisation[]; totalOverdue: number; oldest: WorkList };

export interface InspectionCounts {
  open: number;
  overdue: number;
}

export const DUE_SOON_DAYS = 14;
export const WORK_LIST_LIMIT = 20;
const OPEN = ['issued', 'planned', 'closure_proposed'];

/**
 * Read-only queries for the web pages' lists: each one statement (or one per list), limited, joined
 * with the names shown beside each row (never a query per row).
 */
@Injectable()
export class WorkQueries {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** "My work": what the actor's role should look at first. */
  async myWork(actor: Actor, limit = WORK_LIST_LIMIT): Promise<MyWork> {
    const now = this.clock.now();
    const work = this.storage.pool.workLists;
    // One row more than the list shows tells whether more lie beyond it.
    const list = async (rows: Promise<WorkRow[]>): Promise<WorkList> => toWorkList(await rows, actor, now, limit);
    switch (actor.role) {
      case Role.Liaison: {
        const soon = new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS);
        const [overdue, dueSoon, returned] = await Promise.all([
          list(work.overdue(actor, now, limit + 1)),
          list(work.dueSoon(actor, now, soon, limit + 1)),
          list(work.returned(actor, limit + 1)),
        ]);
        return { role: Role.Liaison, overdue, dueSoon, returned, dueSoonDays: DUE_SOON_DAYS };
      }
      case Role.Inspector: {
        const [awaitingReview, revisits, overdue] = await Promise.all([
          list(work.awaitingReview(actor, actor.id, limit + 1)),
          this.revisitsComingUp(actor, now, limit),
          list(work.overdue(actor, now, limit + 1, actor.id)),
        ]);
        return { role: Role.Inspector, awaitingReview, revisits, overdue };
      }
      default: {
        const [overdueByOrganisation, oldest] = await Promise.all([this.overdueByOrganisation(actor, now), list(work.overdue(actor, now, limit + 1))]);
        const totalOverdue = overdueByOrganisation.reduce((sum, o) => sum + o.overdue, 0);
        return { role: actor.role, overdueByOrganisation, totalOverdue, oldest };
      }
    }
  }

  /** Open and overdue recommendations of each inspection, in one grouped query. */
  async inspectionCounts(inspectionIds: readonly string[]): Promise<Map<string, InspectionCounts>> {
    if (inspectionIds.length === 0) return new Map();
    const rows = await this.storage.pool.workLists.inspectionCounts(inspectionIds, OPEN, this.clock.now());
    return new Map(rows.map((r) => [r.inspection_id, { open: Number(r.open), overdue: Number(r.overdue) }]));
  }

  /** Names by id, for showing people and organisations beside ids (one query each). */
  async userNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
    if (wanted.length === 0) return new Map();
    return this.storage.pool.users.names(wanted);
  }

  async organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    return this.storage.pool.organisations.names(wanted);
  }

  async inspectionTitles(ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    return this.storage.pool.inspections.titles(wanted);
  }

  /** The inspection a visible recommendation belongs to; the caller has already checked the recommendation's scope. */
  async inspectionOf(inspectionId: string): Promise<InspectionEntity> {
    return this.storage.pool.inspections.get(inspectionId);
  }

  private async revisitsComingUp(actor: Actor, now: Date, limit: number): Promise<RevisitItem[]> {
    const rows = await this.storage.pool.workLists.revisitsComingUp(actor.id, now, OPEN, limit);
    return rows.map((r) => ({ inspectionId: r.id, title: r.title, organisationName: r.organisation_name, revisitDueAt: new Date(r.revisit_due_at).toISOString(), openRecommendations: Number(r.open) }));
  }

  private async overdueByOrganisation(actor: Actor, now: Date): Promise<OverdueByOrganisation[]> {
    const rows = await this.storage.pool.workLists.overdueByOrganisation(actor, now);
    return rows.map((r) => ({ organisationId: r.organisation_id, organisationName: r.organisation_name, overdue: Number(r.overdue) }));
  }
}

/** The first `limit` of `rows` (fetched one longer) as the actor sees them. */
function toWorkList(rows: readonly WorkRow[], actor: Actor, now: Date, limit: number): WorkList {
  const items = rows.slice(0, limit).map((row) => ({
    ...recommendationView(row.recommendation, actor, now),
    inspectionTitle: row.inspectionTitle,
    organisationName: row.organisationName,
  }));
  return { items, more: rows.length > limit };
}
