// OverdueListQuery on real PostgreSQL: its SQL filters agree with the domain's overdueState row by row, keyset pages
// both ways, scope per role.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  NotificationPlanner,
  OverdueListQuery,
  ageBandRange,
  OVERDUE_AGE_BANDS,
  type OverdueFilter,
  type OverdueRow,
} from '../../libs/application/src/index.js';
import {
  nextDeadlineAt,
  overdueState,
  RecommendationStatus,
  Role,
  type Actor,
  type RecommendationStatus as Status,
} from '../../libs/domain/src/index.js';
import { Storage } from '../../libs/persistence/src/index.js';
import { loadConfig } from '../../config/index.js';
import { migratedDataSource, type MigratedDataSource } from '../support/database.js';

const NOW = new Date('2026-11-29T10:00:00Z');
const DAY = 86_400_000;
const STATUSES: Status[] = [
  RecommendationStatus.Issued,
  RecommendationStatus.Planned,
  RecommendationStatus.ClosureProposed,
  RecommendationStatus.Closed,
];

interface Seeded {
  id: string;
  organisationId: string;
  inspectionId: string;
  priority: boolean;
  status: Status;
  actionPlanDueAt: Date;
  dueAt: Date;
}

describe('OverdueListQuery', () => {
  let db: MigratedDataSource;
  let query: OverdueListQuery;
  let organisations: string[];
  let inspections: { id: string; organisationId: string }[];
  const seeded: Seeded[] = [];
  const admin: Actor = { id: '00000000-0000-4000-8000-000000000001', role: Role.Admin, organisationIds: [] };

  beforeAll(async () => {
    db = await migratedDataSource();
    query = new OverdueListQuery(new Storage(db.ds), { now: () => NOW }, new NotificationPlanner(loadConfig({})));
    organisations = (
      await db.ds.query(
        `INSERT INTO organisations (name, code) SELECT 'Force ' || g, 'F' || g FROM generate_series(1, 3) g RETURNING id`,
      )
    ).map((r: { id: string }) => r.id);
    const [{ id: lead }] = await db.ds.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ('lead@test', 'Lead', 'x', 'inspector') RETURNING id`,
    );
    inspections = [];
    for (const organisationId of organisations) {
      for (const title of ['A', 'B']) {
        const [row] = await db.ds.query(
          `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
           VALUES ($1, $2, 'PEEL', $3, $4, $3, $3) RETURNING id`,
          [organisationId, title, NOW, lead],
        );
        inspections.push({ id: row.id, organisationId });
      }
    }
    // 400 recommendations: every status, deadlines from two years ago to a year ahead, some plans due after the due
    // date.
    for (let i = 0; i < 400; i += 1) {
      const inspection = inspections[i % inspections.length];
      const status = STATUSES[i % STATUSES.length];
      const actionPlanDueAt = new Date(NOW.getTime() - ((i * 37) % 1000) * DAY + 365 * DAY - (i % 7) * 3_600_000);
      const dueAt = new Date(NOW.getTime() - ((i * 53) % 1100) * DAY + 365 * DAY);
      const next = nextDeadlineAt({ status, actionPlanDueAt, dueAt });
      const [row] = await db.ds.query(
        `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, priority, status, action_plan_due_at, due_at, next_deadline_at)
         VALUES ($1, $2, $3, 'text', $4, $5, $6, $7, $8) RETURNING id`,
        [inspection.id, inspection.organisationId, `R${i}`, i % 5 === 0, status, actionPlanDueAt, dueAt, next],
      );
      seeded.push({
        id: row.id,
        organisationId: inspection.organisationId,
        inspectionId: inspection.id,
        priority: i % 5 === 0,
        status,
        actionPlanDueAt,
        dueAt,
      });
    }
  }, 120_000);

  afterAll(async () => {
    await db?.cleanup();
  });

  /** What the list must hold for `filter`, decided by the domain alone, most overdue first. */
  function expected(filter: OverdueFilter, visible: readonly string[] | 'all' = 'all'): string[] {
    return seeded
      .map((r) => ({ r, state: overdueState(r, NOW), next: nextDeadlineAt(r) }))
      .filter(({ r, state, next }) => {
        if (!state.overdue || !next) return false;
        if (visible !== 'all' && !visible.includes(r.organisationId)) return false;
        if (filter.organisationId && r.organisationId !== filter.organisationId) return false;
        if (filter.inspectionId && r.inspectionId !== filter.inspectionId) return false;
        if (filter.priority !== undefined && r.priority !== filter.priority) return false;
        if (filter.reason && state.overdueReason !== filter.reason) return false;
        if (filter.ageBand) {
          const range = ageBandRange(filter.ageBand, NOW);
          if (range.after && !(next > range.after)) return false;
          if (range.atOrBefore && !(next <= range.atOrBefore)) return false;
        }
        return true;
      })
      .sort((a, b) => a.next!.getTime() - b.next!.getTime() || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0))
      .map(({ r }) => r.id);
  }

  async function everyRow(actor: Actor, filter: OverdueFilter): Promise<OverdueRow[]> {
    const rows: OverdueRow[] = [];
    for await (const page of query.pages(actor, filter, 7)) rows.push(...page);
    return rows;
  }

  const filters: OverdueFilter[] = [
    {},
    { reason: 'action_plan' },
    { reason: 'due_date' },
    ...OVERDUE_AGE_BANDS.map((ageBand) => ({ ageBand })),
    { priority: true },
    { priority: false, reason: 'due_date', ageBand: 'over_12_months' },
  ];

  it.each(filters.map((filter) => [JSON.stringify(filter), filter]))(
    'lists what the domain calls overdue for %s, in order',
    async (_, filter) => {
      const want = expected(filter as OverdueFilter);
      expect(want.length).toBeGreaterThan(0);
      const rows = await everyRow(admin, filter as OverdueFilter);
      expect(rows.map((r) => r.id)).toEqual(want);
      for (const row of rows) {
        const state = overdueState(
          seeded.find((s) => s.id === row.id)!,
          NOW,
        );
        expect([row.overdueReason, row.daysOverdue]).toEqual([state.overdueReason, state.daysOverdue]);
      }
    },
  );

  it('filters by force and inspection, and keeps a liaison or scoped manager to their forces', async () => {
    const [first, second] = organisations;
    expect((await everyRow(admin, { organisationId: first })).map((r) => r.id)).toEqual(
      expected({ organisationId: first }),
    );
    expect((await everyRow(admin, { inspectionId: inspections[1].id })).map((r) => r.id)).toEqual(
      expected({ inspectionId: inspections[1].id }),
    );
    const liaison: Actor = { id: admin.id, role: Role.Liaison, organisationIds: [second] };
    expect((await everyRow(liaison, {})).map((r) => r.id)).toEqual(expected({}, [second]));
    // Another force asked for by a scoped person: nothing, not that force's rows.
    const manager: Actor = { id: admin.id, role: Role.Manager, organisationIds: [second] };
    await expect(everyRow(manager, { organisationId: first })).resolves.toEqual([]);
    const choices = await query.filterChoices(manager, undefined);
    expect(choices.organisations.map((o) => o.id)).toEqual([second]);
    expect(choices.inspections).toHaveLength(2);
  });

  it('pages backward from any page to the same rows it paged forward through', async () => {
    const forward = [];
    let page = await query.page(admin, {}, { limit: 9 });
    expect(page.previousCursor).toBeNull();
    forward.push(page);
    while (page.nextCursor) {
      page = await query.page(admin, {}, { after: page.nextCursor, limit: 9 });
      forward.push(page);
    }
    expect(forward.length).toBeGreaterThan(3);
    for (let i = forward.length - 1; i > 0; i -= 1) {
      const back = await query.page(admin, {}, { before: forward[i].previousCursor!, limit: 9 });
      expect(back.items.map((r) => r.id)).toEqual(forward[i - 1].items.map((r) => r.id));
      expect(back.nextCursor).not.toBeNull();
      expect(back.previousCursor === null).toBe(i === 1);
    }
  });
});
