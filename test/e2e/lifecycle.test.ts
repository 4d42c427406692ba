// One recommendation through every action of contract v1, over HTTP, with deadlines, overdue state,
// lists, paging, history and the two kinds of 409.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  agreedPlan,
  daysFromNow,
  missingRecommendationFields,
  startApi,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Organisation,
  type Schema,
  type Recommendation,
} from '../support/api-harness.js';

const PUBLISHED_AT = '2018-08-30T00:00:00Z';
const EXPLICIT_DUE_AT = '2018-09-30T12:00:00.000Z';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

describe('recommendation lifecycle over HTTP', () => {
  let api: RunningApi;
  let organisation: Organisation;
  let inspector: TestUser;
  let liaison: TestUser;
  let manager: TestUser;
  let inspection: InspectionDetail;
  /** By reference: '1' P3M, '2' immediately, '3' explicit dueAt. */
  const recs: Record<string, Recommendation> = {};
  let futureInspection: InspectionDetail;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  /** POST a transition as `user`; returns the raw response. */
  const act = (user: TestUser, id: string, body: Record<string, unknown>) =>
    user.api.post(`/recommendations/${id}/transitions`, body);

  /** POST a transition that must succeed; returns the recommendation as it now is. */
  async function step(
    user: TestUser,
    id: string,
    body: Record<string, unknown>,
  ): Promise<Schema<'RecommendationDetailResponse'>> {
    const response = await act(user, id, body);
    if (response.status !== 200)
      throw new Error(`${String(body.action)}: ${response.status} ${JSON.stringify(response.body)}`);
    expect(missingRecommendationFields(response.body)).toEqual([]);
    expect(response.body.id).toBe(id);
    return response.body;
  }

  it('lets the administrator create an organisation and users of every role, without passwords in replies', async () => {
    const created = await api.adminApi.post('/organisations', { name: 'Merseyside Police', code: 'merseyside' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Merseyside Police', code: 'MERSEYSIDE', version: expect.any(Number) });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    organisation = created.body;

    inspector = await api.createUser('inspector');
    liaison = await api.createUser('liaison', [organisation.id]);
    manager = await api.createUser('manager', [organisation.id]);
    for (const user of [inspector, liaison, manager]) {
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(user)).not.toMatch(/password|hash|argon/i);
    }
    expect(liaison).toMatchObject({ role: 'liaison', organisationIds: [organisation.id] });

    const me = await liaison.api.get('/users/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: liaison.id,
      email: liaison.email,
      role: 'liaison',
      organisationIds: [organisation.id],
    });
    expect(JSON.stringify(me.body)).not.toMatch(/password|hash/i);
  });

  it('creates an inspection whose deadlines follow the rules (London calendar, month end)', async () => {
    const response = await inspector.api.post('/inspections', {
      organisationId: organisation.id,
      title: 'PEEL 2018: Merseyside',
      programme: 'PEEL',
      publishedAt: PUBLISHED_AT,
      leadInspectorId: inspector.id,
      recommendations: [
        { reference: '1', text: 'Improve crime recording', timeframe: 'P3M' },
        { reference: '2', text: 'Review custody arrangements', timeframe: 'immediately' },
        { reference: '3', text: 'Publish a plan', dueAt: EXPLICIT_DUE_AT },
      ],
    });
    expect(response.status).toBe(201);
    inspection = response.body;
    expect(inspection).toMatchObject({
      organisationId: organisation.id,
      title: 'PEEL 2018: Merseyside',
      leadInspectorId: inspector.id,
      publishedAt: '2018-08-30T00:00:00.000Z',
      // Six weeks on in London: still BST, 01:00 local.
      actionPlanDueAt: '2018-10-11T00:00:00.000Z',
      // Six months on: 30 February does not exist, so 28 February; GMT by then, still 01:00 local.
      revisitDueAt: '2019-02-28T01:00:00.000Z',
      version: expect.any(Number),
    });
    expect(inspection.recommendations).toHaveLength(3);
    for (const rec of inspection.recommendations) {
      recs[rec.reference] = rec;
      expect(missingRecommendationFields(rec)).toEqual([]);
      expect(rec).toMatchObject({
        inspectionId: inspection.id,
        organisationId: organisation.id,
        status: 'issued',
        outcome: null,
        owner: null,
        targetDate: null,
        rag: null,
        actionPlanDueAt: '2018-10-11T00:00:00.000Z',
      });
      expect(rec.dueAt).toMatch(ISO_UTC);
      expect(rec.updatedAt).toMatch(ISO_UTC);
      expect(Number.isInteger(rec.version)).toBe(true);
    }
    // P3M: 30 November 01:00 London (GMT) = 01:00Z.
    expect(recs['1'].dueAt).toBe('2018-11-30T01:00:00.000Z');
    expect(recs['1'].priority).toBe(false);
    // Immediately: due at publication, and marked as a priority.
    // "Immediately": the policy's immediate rule, 28 days after publication by default.
    expect(recs['2'].dueAt).toBe('2018-09-27T00:00:00.000Z');
    expect(recs['2'].priority).toBe(true);
    // An explicit dueAt wins.
    expect(recs['3'].dueAt).toBe(EXPLICIT_DUE_AT);

    const fetched = await liaison.api.get(`/inspections/${inspection.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.recommendations.map((r: Recommendation) => r.id).sort()).toEqual(
      Object.values(recs)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('defaults a recommendation with neither timeframe nor dueAt to the revisit date', async () => {
    futureInspection = await api.createInspection(inspector.token, {
      organisationId: organisation.id,
      leadInspectorId: inspector.id,
      publishedAt: daysFromNow(1),
      recommendations: [{ reference: 'F1' }],
    });
    const [rec] = futureInspection.recommendations;
    expect(rec.dueAt).toBe(futureInspection.revisitDueAt);
    expect(rec).toMatchObject({ status: 'issued', overdue: false, overdueReason: null, daysOverdue: null });
  });

  it('shows the 2018 recommendations as overdue for their action plan', async () => {
    for (const ref of ['1', '2', '3']) {
      const response = await liaison.api.get(`/recommendations/${recs[ref].id}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'issued', overdue: true, overdueReason: 'action_plan' });
      expect(response.body.daysOverdue).toBeGreaterThan(365);
    }
  });

  it('lists overdue recommendations most overdue first, and only those', async () => {
    const response = await manager.api.get(`/recommendations?overdue=true`);
    expect(response.status).toBe(200);
    expect(response.body.nextCursor).toBeNull();
    const items: Recommendation[] = response.body.items;
    // Immediately (due 27 Sep), then explicit (30 Sep), then P3M (action plan 11 Oct); never the future one.
    expect(items.map((r) => r.reference)).toEqual(['2', '3', '1']);
    expect(items.every((r) => r.overdue === true)).toBe(true);
    const days = items.map((r) => r.daysOverdue as number);
    expect([...days].sort((a, b) => b - a)).toEqual(days);
    expect(days[0]).toBeGreaterThan(days[2]);

    const notOverdue = await manager.api.get(`/recommendations?overdue=false`);
    expect(notOverdue.status).toBe(200);
    expect(notOverdue.body.items.map((r: Recommendation) => r.reference)).toEqual(['F1']);
  });

  it('pages through every recommendation with limit=1, each exactly once, ending with a null cursor', async () => {
    for (const query of ['', 'overdue=true&']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await liaison.api.get(`/recommendations?${query}limit=1${suffix}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.body.items.map((r: Recommendation) => r.id));
        cursor = page.body.nextCursor;
        expect(++pages).toBeLessThan(10);
      } while (cursor !== null);
      const expected = query === '' ? 4 : 3;
      expect(seen).toHaveLength(expected);
      expect(new Set(seen).size).toBe(expected);
    }

    // Inspections page the same way (newest first).
    const first = await liaison.api.get(`/inspections?limit=1`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await liaison.api.get(`/inspections?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.status).toBe(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect(new Set([first.body.items[0].id, second.body.items[0].id])).toEqual(
      new Set([inspection.id, futureInspection.id]),
    );
  });

  it('takes one recommendation through every action, each by the right person', async () => {
    const id = recs['1'].id;
    let rec = recs['1'];

    rec = await step(
      liaison,
      id,
      agreedPlan(rec.version, {
        owner: 'Chief Superintendent Crime',
        actions: ['Audit crime recording', 'Train call handlers'],
        targetDate: '2019-03-31',
      }),
    );
    expect(rec).toMatchObject({
      status: 'planned',
      owner: 'Chief Superintendent Crime',
      targetDate: '2019-03-31',
      outcome: null,
    });
    expect(rec.version).toBe(recs['1'].version + 1);
    // Planned and past its due date: overdue for the due date now, not the plan.
    expect(rec).toMatchObject({ overdue: true, overdueReason: 'due_date' });
    expect(rec.daysOverdue).toBeGreaterThan(365);

    const beforeProgress = rec.version;
    rec = await step(liaison, id, {
      action: 'update_progress',
      version: rec.version,
      rag: 'amber',
      targetDate: '2019-06-30',
      comment: 'Training delayed by the new system roll-out',
    });
    expect(rec).toMatchObject({ status: 'planned', rag: 'amber', targetDate: '2019-06-30' });
    expect(rec.version).toBe(beforeProgress + 1);

    rec = await step(liaison, id, {
      action: 'propose_closure',
      version: rec.version,
      evidence: [{ title: 'Audit report 2019', url: 'https://example.org/audit.pdf', note: 'Compliance at 94%' }],
      comment: 'Recording now meets the standard',
    });
    expect(rec).toMatchObject({ status: 'closure_proposed', overdue: false, overdueReason: null, daysOverdue: null });

    rec = await step(inspector, id, {
      action: 'return',
      version: rec.version,
      comment: 'The audit covers only one division',
    });
    expect(rec).toMatchObject({ status: 'planned', overdue: true, overdueReason: 'due_date' });

    rec = await step(liaison, id, {
      action: 'propose_closure',
      version: rec.version,
      evidence: [{ title: 'Force-wide audit report 2019' }],
    });
    expect(rec.status).toBe('closure_proposed');

    rec = await step(inspector, id, {
      action: 'authorise_closure',
      version: rec.version,
      outcome: 'implemented',
      comment: 'Evidence accepted',
    });
    expect(rec).toMatchObject({ status: 'closed', outcome: 'implemented', overdue: false, overdueReason: null });

    rec = await step(inspector, id, {
      action: 'reopen',
      version: rec.version,
      comment: 'The 2020 audit found recording had slipped',
    });
    expect(rec).toMatchObject({ status: 'planned', outcome: null });

    rec = await step(inspector, id, {
      action: 'close',
      version: rec.version,
      outcome: 'not_implemented',
      comment: 'Superseded by the 2021 inspection findings',
    });
    expect(rec).toMatchObject({ status: 'closed', outcome: 'not_implemented', overdue: false, daysOverdue: null });
    expect(rec.version).toBe(recs['1'].version + 8);
    recs['1'] = rec;
  });

  it('records every step in the history, oldest first, with actor, action, statuses and comment', async () => {
    const response = await manager.api.get(`/recommendations/${recs['1'].id}`);
    expect(response.status).toBe(200);
    expect(missingRecommendationFields(response.body)).toEqual([]);
    const history: Schema<'HistoryEntryResponse'>[] = response.body.history;
    const steps = history.map((h) => [h.action, h.fromStatus, h.toStatus, h.actorId, h.comment]);
    expect(steps).toEqual([
      [expect.any(String), null, 'issued', inspector.id, null],
      ['submit_plan', 'issued', 'planned', liaison.id, null],
      ['update_progress', 'planned', 'planned', liaison.id, 'Training delayed by the new system roll-out'],
      ['propose_closure', 'planned', 'closure_proposed', liaison.id, 'Recording now meets the standard'],
      ['return', 'closure_proposed', 'planned', inspector.id, 'The audit covers only one division'],
      ['propose_closure', 'planned', 'closure_proposed', liaison.id, null],
      ['authorise_closure', 'closure_proposed', 'closed', inspector.id, 'Evidence accepted'],
      ['reopen', 'closed', 'planned', inspector.id, 'The 2020 audit found recording had slipped'],
      ['close', 'planned', 'closed', inspector.id, 'Superseded by the 2021 inspection findings'],
    ]);
    const times = history.map((h) => Date.parse(h.at));
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const h of history) expect(h).toHaveProperty('changes');
    expect(history[2].changes).toMatchObject({ targetDate: { from: '2019-03-31', to: '2019-06-30' } });
  });

  it('lets an administrator close a recommendation too', async () => {
    const rec = recs['3'];
    const closed = await api.adminApi.post(`/recommendations/${rec.id}/transitions`, {
      action: 'close',
      version: rec.version,
      outcome: 'superseded',
      comment: 'Replaced by the 2019 recommendation',
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      outcome: 'superseded',
      version: rec.version + 1,
      overdue: false,
    });
    recs['3'] = closed.body;

    const listed = await manager.api.get(`/recommendations?status=closed&inspectionId=${inspection.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((r: Recommendation) => r.reference).sort()).toEqual(['1', '3']);
  });

  it('answers 409 naming the current state when the state forbids an action, and changes nothing', async () => {
    const rec = recs['1'];
    const response = await act(liaison, rec.id, { action: 'update_progress', version: rec.version, rag: 'green' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ statusCode: 409, error: expect.any(String) });
    expect(String(response.body.message)).toMatch(/closed/);

    const issued = recs['2'];
    const authorise = await act(inspector, issued.id, { action: 'authorise_closure', version: issued.version });
    expect(authorise.status).toBe(409);
    expect(String(authorise.body.message)).toMatch(/issued/);

    const after = await liaison.api.get(`/recommendations/${rec.id}`);
    expect(after.body).toMatchObject({ status: 'closed', version: rec.version, rag: 'amber' });
  });

  it('answers 409 to a stale version and changes nothing', async () => {
    const rec = recs['2'];
    const fresh = await step(
      liaison,
      rec.id,
      agreedPlan(rec.version, {
        response: 'partly_agreed',
        owner: 'Head of Custody',
        actions: 'Review custody staffing',
        targetDate: '2019-01-31',
        comment: 'Staffing is outside the force’s control',
      }),
    );
    const historyBefore = (await liaison.api.get(`/recommendations/${rec.id}`)).body.history.length;

    const stale = await act(liaison, rec.id, {
      action: 'update_progress',
      version: rec.version,
      rag: 'red',
      comment: 'stale',
    });
    expect(stale.status).toBe(409);
    expect(String(stale.body.message)).toMatch(/version/);

    const after = await liaison.api.get(`/recommendations/${rec.id}`);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      version: fresh.version,
      status: 'planned',
      rag: null,
      updatedAt: fresh.updatedAt,
    });
    expect(after.body.history).toHaveLength(historyBefore);
  });
});
