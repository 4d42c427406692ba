// The middle layer: InspectionsService and RecommendationsService on real PostgreSQL, built by hand (no Nest, no HTTP,
// no Redis): deadlines derived and recomputed with their notifications replanned, each action stored with its history,
// audit event and notices in one transaction, and a refused action changing nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role, type Actor } from '../../../libs/domain/src/index.js';
import { refusal, serviceWorld, type ServiceWorld } from '../../support/service-world.js';

const NOW = new Date('2026-03-02T10:00:00Z');
const PUBLISHED = new Date('2026-03-02T00:00:00Z');

describe('the workflow services on PostgreSQL', () => {
  let world: ServiceWorld;
  let liaison: Actor, lead: Actor, admin: Actor, organisation: string;

  /** What a recommendation has written (audit events, notices, version), to prove a refused action wrote nothing. */
  const counts = async (recommendationId: string) => {
    const [row] = await world.db.ds.query(
      `SELECT (SELECT count(*) FROM audit_events WHERE entity_id = $1)::int AS audit,
              (SELECT count(*) FROM notifications WHERE recommendation_id = $1)::int AS notices,
              (SELECT version FROM recommendations WHERE id = $1) AS version`,
      [recommendationId],
    );
    return row;
  };

  beforeAll(async () => {
    world = await serviceWorld(NOW);
    organisation = await world.force('SVC');
    lead = await world.person(Role.Inspector, 'lead@svc.test');
    admin = await world.person(Role.Admin, 'admin@svc.test');
    liaison = await world.person(Role.Liaison, 'liaison@svc.test', [organisation]);
  });

  afterAll(async () => {
    await world?.db.cleanup();
  });

  const create = () =>
    world.inspections.create(admin, {
      organisationId: organisation,
      title: 'Service inspection',
      programme: 'NCPI',
      publishedAt: PUBLISHED,
      leadInspectorId: lead.id,
      recommendations: [
        { reference: '1', text: 'Review custody' },
        { reference: '2', text: 'Train officers', timeframe: 'P3M' },
      ],
    });

  it('derives each deadline from publication, plans its reminders and asks the queue for them after commit', async () => {
    const before = world.slotJobs.length;
    const inspection = await create();
    // Six weeks in London: midnight GMT on 2 March, midnight BST on 13 April.
    expect(inspection.actionPlanDueAt).toBe('2026-04-12T23:00:00.000Z');
    const [first, second] = inspection.recommendations ?? [];
    expect(first.dueAt).toBe(inspection.revisitDueAt);
    expect(second.dueAt).toBe('2026-06-01T23:00:00.000Z');
    const notices: { kind: string; status: string }[] = await world.db.ds.query(
      `SELECT kind, status FROM notifications WHERE recommendation_id = $1`,
      [first.id],
    );
    expect(notices.length).toBeGreaterThan(0);
    expect(new Set(notices.map((n) => n.status))).toEqual(new Set(['scheduled']));
    expect(world.slotJobs.length).toBeGreaterThan(before);
    const [audit] = await world.db.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1`, [
      inspection.id,
    ]);
    expect(audit.n).toBeGreaterThan(0);
  });

  it('recomputes the deadlines of a moved publication date and cancels the reminders of the old ones', async () => {
    const inspection = await create();
    const [first] = inspection.recommendations ?? [];
    const moved = await world.inspections.update(admin, inspection.id, {
      version: inspection.version,
      publishedAt: new Date('2026-03-09T00:00:00Z'),
    });
    expect(moved.actionPlanDueAt).toBe('2026-04-19T23:00:00.000Z');
    const byDeadline: { deadline_at: Date; status: string }[] = await world.db.ds.query(
      `SELECT deadline_at, status FROM notifications WHERE recommendation_id = $1 AND deadline_type = 'action_plan'`,
      [first.id],
    );
    const statusesFor = (iso: string) =>
      new Set(byDeadline.filter((n) => n.deadline_at.toISOString() === iso).map((n) => n.status));
    expect(statusesFor('2026-04-12T23:00:00.000Z')).toEqual(new Set(['cancelled']));
    expect(statusesFor('2026-04-19T23:00:00.000Z')).toEqual(new Set(['scheduled']));
  });

  it('stores an action with its history and audit event; a refused one (role, version, payload) changes nothing', async () => {
    const [rec] = (await create()).recommendations ?? [];
    const planned = await world.recommendations.transition(liaison, rec.id, {
      action: 'submit_plan',
      version: rec.version,
      response: 'agreed',
      owner: 'Head of custody',
      actions: 'Rewrite',
      targetDate: '2026-09-30',
    });
    expect([planned.status, planned.version, planned.owner]).toEqual(['planned', rec.version + 1, 'Head of custody']);
    expect(planned.history.map((h) => h.action)).toContain('submit_plan');

    const before = await counts(rec.id);
    const refusals = [
      () =>
        world.recommendations.transition(lead, rec.id, {
          action: 'update_progress',
          version: planned.version,
          rag: 'red',
        }),
      () =>
        world.recommendations.transition(liaison, rec.id, {
          action: 'update_progress',
          version: planned.version - 1,
          rag: 'red',
        }),
      () =>
        world.recommendations.transition(liaison, rec.id, {
          action: 'update_progress',
          version: planned.version,
          rag: 'red',
          outcome: 'implemented',
        }),
      () =>
        world.recommendations.transition(liaison, rec.id, {
          action: 'propose_closure',
          version: planned.version,
          evidence: [],
        }),
    ];
    const codes = [];
    for (const attempt of refusals) codes.push(await refusal(attempt()));
    expect(codes).toEqual(['FORBIDDEN', 'STALE_VERSION', 'INVALID_INPUT', 'INVALID_INPUT']);
    expect(await counts(rec.id)).toEqual(before);
  });

  it('emails the decision of the lead inspector to the force at once (a decision notice planned with the action)', async () => {
    const [rec] = (await create()).recommendations ?? [];
    const closed = await world.recommendations.transition(lead, rec.id, {
      action: 'close',
      version: rec.version,
      outcome: 'not_implemented',
      comment: 'Force merged',
    });
    expect([closed.status, closed.outcome]).toEqual(['closed', 'not_implemented']);
    const kinds: { kind: string; status: string }[] = await world.db.ds.query(
      `SELECT kind, status FROM notifications WHERE recommendation_id = $1`,
      [rec.id],
    );
    expect(kinds.filter((n) => n.kind === 'decision' && n.status === 'scheduled')).toHaveLength(1);
    // Closed: no reminder of its deadlines is left to send.
    expect(kinds.filter((n) => n.kind === 'reminder' && n.status === 'scheduled')).toEqual([]);
  });
});
