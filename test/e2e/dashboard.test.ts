// The dashboard's figures over a known history (reopening, a date move, closures on different dates), driven through
// the API with a controlled clock.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ControlledClock,
  startApi,
  type RunningApi,
  type TestUser,
  type Organisation,
  type Schema,
  type Recommendation,
} from '../support/api-harness.js';

describe('GET /dashboard over a known history', () => {
  const clock = new ControlledClock(new Date('2024-01-10T12:00:00Z'));
  let api: RunningApi;
  let orgA: Organisation;
  let orgB: Organisation;
  let lead: TestUser;
  let liaisonA: TestUser;
  let managerA: TestUser;
  let managerAll: TestUser;
  const rec: Record<string, Recommendation> = {};

  /** One workflow action at `at`, on the recommendation's current version. */
  async function act(
    user: TestUser,
    id: string,
    at: string,
    body: Record<string, unknown>,
  ): Promise<Schema<'RecommendationDetailResponse'>> {
    clock.set(at);
    const current = await api.adminApi.get(`/recommendations/${id}`);
    const response = await user.api.post(`/recommendations/${id}/transitions`, {
      version: current.body.version,
      ...body,
    });
    if (response.status !== 200)
      throw new Error(`${String(body.action)} at ${at}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
  const plan = {
    action: 'submit_plan',
    response: 'agreed',
    owner: 'Head of custody',
    actions: 'Act',
    targetDate: '2024-12-31',
  };

  beforeAll(async () => {
    api = await startApi({}, { clock });
    orgA = await api.createOrganisation({ name: 'Alpha Police', code: 'ALPHA' });
    orgB = await api.createOrganisation({ name: 'Bravo Police', code: 'BRAVO' });
    lead = await api.createUser('inspector');
    liaisonA = await api.createUser('liaison', [orgA.id]);
    const liaisonB = await api.createUser('liaison', [orgB.id]);
    managerA = await api.createUser('manager', [orgA.id]);
    managerAll = await api.createUser('manager');

    const ia = await api.createInspection(lead.token, {
      organisationId: orgA.id,
      leadInspectorId: lead.id,
      programme: 'PEEL',
      publishedAt: '2024-01-01T00:00:00Z',
      recommendations: [
        { reference: 'A1', dueAt: '2024-03-01T00:00:00Z', area: 'Custody' },
        { reference: 'A2', timeframe: 'P3M', area: 'Custody' },
        { reference: 'A3', dueAt: '2024-06-01T00:00:00Z' },
        { reference: 'A4', dueAt: '2024-12-31T00:00:00Z' },
      ],
    });
    for (const r of ia.recommendations) rec[r.reference] = r;
    expect(rec.A2.dueAt).toBe('2024-03-31T23:00:00.000Z');

    await act(liaisonA, rec.A1.id, '2024-02-01T12:00:00Z', plan);
    clock.set('2024-02-05T12:00:00Z');
    const ib = await api.createInspection(lead.token, {
      organisationId: orgB.id,
      leadInspectorId: lead.id,
      programme: 'NCPI',
      publishedAt: '2024-02-01T00:00:00Z',
      recommendations: [{ reference: 'B1', dueAt: '2024-05-01T00:00:00Z', area: 'Custody' }],
    });
    rec.B1 = ib.recommendations[0];
    await act(liaisonA, rec.A2.id, '2024-02-10T12:00:00Z', plan);
    await act(liaisonA, rec.A4.id, '2024-02-10T12:00:00Z', plan);

    // The action plan deadline moves: A3 (still issued) stops being overdue until the new date.
    clock.set('2024-03-20T12:00:00Z');
    const current = await api.adminApi.get(`/inspections/${ia.id}`);
    const moved = await api.adminApi.patch(`/inspections/${ia.id}`, {
      version: current.body.version,
      actionPlanDueAt: '2024-04-01T00:00:00Z',
    });
    expect(moved.status).toBe(200);

    await act(liaisonA, rec.A2.id, '2024-03-25T12:00:00Z', {
      action: 'propose_closure',
      evidence: [{ title: 'Custody audit' }],
    });
    await act(lead, rec.A2.id, '2024-03-28T12:00:00Z', { action: 'authorise_closure' });
    await act(liaisonA, rec.A1.id, '2024-04-15T12:00:00Z', {
      action: 'propose_closure',
      evidence: [{ title: 'Policy' }],
    });
    await act(lead, rec.A1.id, '2024-04-20T12:00:00Z', { action: 'authorise_closure' });
    await act(lead, rec.A2.id, '2024-05-10T12:00:00Z', {
      action: 'reopen',
      comment: 'Custody still requires improvement',
    });
    await act(lead, rec.B1.id, '2024-06-10T12:00:00Z', {
      action: 'close',
      outcome: 'not_implemented',
      comment: 'Withdrawn',
    });
    await act(liaisonA, rec.A4.id, '2024-09-01T12:00:00Z', {
      action: 'propose_closure',
      evidence: [{ title: 'Review' }],
    });
    await act(lead, rec.A4.id, '2024-09-02T12:00:00Z', { action: 'authorise_closure' });
    void liaisonB;
    clock.set('2025-02-15T12:00:00Z');
  });

  afterAll(async () => {
    await api?.close();
  });

  const zeros = [
    '2023-03',
    '2023-04',
    '2023-05',
    '2023-06',
    '2023-07',
    '2023-08',
    '2023-09',
    '2023-10',
    '2023-11',
    '2023-12',
  ].map((m) => [m, 0, 0]);
  const allMonths = [
    ...zeros,
    ['2024-01', 4, 0],
    ['2024-02', 5, 1],
    ['2024-03', 4, 2],
    ['2024-04', 3, 2],
    ['2024-05', 4, 3],
    ['2024-06', 3, 2],
    ['2024-07', 3, 2],
    ['2024-08', 3, 2],
    ['2024-09', 2, 2],
    ['2024-10', 2, 2],
    ['2024-11', 2, 2],
    ['2024-12', 2, 2],
    ['2025-01', 2, 2],
    ['2025-02', 2, 2],
  ];
  const points = (body: Schema<'DashboardResponse'>) =>
    body.months.map((p) => [p.month.slice(0, 7), p.open, p.overdue]);

  it('gives every figure and every chart point exactly, for a manager who sees all forces', async () => {
    const response = await managerAll.api.get('/dashboard');
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body.asOf).toBe('2025-02-15T12:00:00.000Z');
    expect(body.totals).toEqual({ open: 2, overdue: 2, closed: 3 });
    expect(body.byOrganisation).toEqual([
      { key: orgA.id, label: 'Alpha Police', open: 2, overdue: 2, closed: 2 },
      { key: orgB.id, label: 'Bravo Police', open: 0, overdue: 0, closed: 1 },
    ]);
    expect(body.byProgramme).toEqual([
      { key: 'PEEL', label: 'PEEL', open: 2, overdue: 2, closed: 2 },
      { key: 'NCPI', label: 'NCPI', open: 0, overdue: 0, closed: 1 },
    ]);
    expect(body.byArea).toEqual([
      { key: 'Custody', label: 'Custody', open: 1, overdue: 1, closed: 2 },
      { key: '', label: 'No area', open: 1, overdue: 1, closed: 1 },
    ]);
    expect(body.overdueByAge).toEqual({
      under_3_months: 0,
      '3_to_6_months': 0,
      '6_to_12_months': 2,
      over_12_months: 0,
    });
    // Closed now: A1 (late), B1 (not implemented), A4 (on time); A2 was closed on time but reopened.
    expect(body.closedInPeriod).toBe(3);
    expect(body.implementedByDueDate).toBe(1);
    expect(body.implementedByDueDateShare).toBeCloseTo(1 / 3, 10);
    // 110.5, 130.5 and 245.5 days from publication.
    expect(body.medianDaysToClosure).toBe(130.5);
    expect(body.openOverTwelveMonths).toBe(2);
    expect(points(body)).toEqual(allMonths);
    // Month ends are London midnights: 1 April 2023 is already summer time.
    expect(body.months[0]).toEqual({ month: '2023-03-01', at: '2023-03-31T23:00:00.000Z', open: 0, overdue: 0 });
    expect(body.months.at(-1)).toEqual({ month: '2025-02-01', at: '2025-02-15T12:00:00.000Z', open: 2, overdue: 2 });
  });

  it('filters by force, programme, area and period, the chart with them', async () => {
    const b = await managerAll.api.get(
      `/dashboard?organisationId=${orgB.id}&from=2024-01-01T00:00:00Z&to=2024-07-15T00:00:00Z`,
    );
    expect(b.status).toBe(200);
    expect(b.body.totals).toEqual({ open: 0, overdue: 0, closed: 1 });
    expect(points(b.body)).toEqual([
      ['2024-01', 0, 0],
      ['2024-02', 1, 0],
      ['2024-03', 1, 1],
      ['2024-04', 1, 1],
      ['2024-05', 1, 1],
      ['2024-06', 0, 0],
      ['2024-07', 0, 0],
    ]);
    expect(b.body.closedInPeriod).toBe(1);
    expect(b.body.medianDaysToClosure).toBe(130.5);

    const custody = await managerAll.api.get(
      '/dashboard?area=Custody&from=2024-01-01T00:00:00Z&to=2024-06-30T00:00:00Z',
    );
    expect(custody.body.totals).toEqual({ open: 1, overdue: 1, closed: 2 });
    // A1, A2, then B1 from February; A2 closed in March and reopened overdue in May.
    expect(points(custody.body)).toEqual([
      ['2024-01', 2, 0],
      ['2024-02', 3, 0],
      ['2024-03', 2, 2],
      ['2024-04', 1, 1],
      ['2024-05', 2, 2],
      ['2024-06', 1, 1],
    ]);
    expect(custody.body.closedInPeriod).toBe(2);
    expect(custody.body.implementedByDueDate).toBe(0);

    const noArea = await managerAll.api.get('/dashboard?area=&programme=PEEL');
    expect(noArea.body.totals).toEqual({ open: 1, overdue: 1, closed: 1 });
    expect(noArea.body.byArea).toEqual([{ key: '', label: 'No area', open: 1, overdue: 1, closed: 1 }]);
  });

  it('keeps a manager to their forces, and refuses liaison staff and bad filters', async () => {
    const scoped = await managerA.api.get('/dashboard');
    expect(scoped.status).toBe(200);
    expect(scoped.body.byOrganisation.map((g: Schema<'DashboardGroupResponse'>) => g.key)).toEqual([orgA.id]);
    expect(scoped.body.totals).toEqual({ open: 2, overdue: 2, closed: 2 });
    expect(points(scoped.body).slice(10, 13)).toEqual([
      ['2024-01', 4, 0],
      ['2024-02', 4, 1],
      ['2024-03', 3, 1],
    ]);
    const other = await managerA.api.get(`/dashboard?organisationId=${orgB.id}`);
    expect(other.body.totals).toEqual({ open: 0, overdue: 0, closed: 0 });
    expect((await liaisonA.api.get('/dashboard')).status).toBe(403);
    expect((await lead.api.get('/dashboard')).status).toBe(200);
    const bad = await managerAll.api.get('/dashboard?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(['from must be an ISO 8601 date']);
  });
});
