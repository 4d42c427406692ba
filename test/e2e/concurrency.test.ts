// Optimistic concurrency over HTTP: writers naming the same version race; exactly one wins.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  agreedPlan,
  createForceWithInspection,
  startApi,
  type ApiResponse,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Recommendation,
} from '../support/api-harness.js';

const WRITERS = 4;

describe('concurrent writers', () => {
  let api: RunningApi, lead: TestUser, liaison: TestUser, inspection: InspectionDetail;

  beforeAll(async () => {
    api = await startApi();
    ({ lead, liaison, inspection } = await createForceWithInspection(api, [{ reference: 'C1' }, { reference: 'C2' }]));
  });

  afterAll(async () => {
    await api?.close();
  });

  const statuses = (responses: ApiResponse[]) => responses.map((r) => r.status).sort();
  const getRec = async (id: string) => {
    const r = await api.adminApi.get(`/recommendations/${id}`);
    expect(r.status).toBe(200);
    return r.body;
  };

  it('lets exactly one of four simultaneous transitions on one version through', async () => {
    const id = inspection.recommendations[0].id;
    const planned = await liaison.api.post(
      `/recommendations/${id}/transitions`,
      agreedPlan(inspection.recommendations[0].version),
    );
    expect(planned.status).toBe(200);

    // Several rounds, each from the version the previous round left.
    const rags = ['green', 'amber', 'red', 'amber'];
    for (let round = 0; round < 3; round++) {
      const before = await getRec(id);
      const responses = await Promise.all(
        rags.slice(0, WRITERS).map((rag, i) =>
          liaison.api.post(`/recommendations/${id}/transitions`, {
            action: 'update_progress',
            version: before.version,
            rag,
            comment: `round ${round} writer ${i}`,
          }),
        ),
      );
      expect(statuses(responses)).toEqual([200, 409, 409, 409]);
      for (const loser of responses.filter((r) => r.status === 409)) {
        expect(loser.body).toMatchObject({ statusCode: 409, message: expect.stringMatching(/version/) });
      }
      const winner = responses.find((r) => r.status === 200)!;
      expect(winner.body.version).toBe(before.version + 1);

      const after = await getRec(id);
      expect(after.version).toBe(before.version + 1);
      expect(after.rag).toBe(winner.body.rag);
      expect(after.history).toHaveLength(before.history.length + 1);
      const entry = after.history.at(-1);
      expect(entry).toMatchObject({
        action: 'update_progress',
        actorId: liaison.id,
        fromStatus: 'planned',
        toStatus: 'planned',
      });
      expect(entry.comment).toMatch(new RegExp(`^round ${round} writer \\d$`));
    }
  });

  it('lets one of two different actions racing on one version win, never both', async () => {
    const id = inspection.recommendations[1].id;
    const start = await getRec(id);
    const responses = await Promise.all([
      liaison.api.post(`/recommendations/${id}/transitions`, agreedPlan(start.version)),
      lead.api.post(`/recommendations/${id}/transitions`, {
        action: 'close',
        version: start.version,
        outcome: 'superseded',
        comment: 'Replaced',
      }),
    ]);
    expect(statuses(responses)).toEqual([200, 409]);
    const after = await getRec(id);
    expect(after.version).toBe(start.version + 1);
    expect(after.history).toHaveLength(start.history.length + 1);
    expect(after.status).toBe(responses.find((r) => r.status === 200)!.body.status);
  });

  it('lets exactly one of four simultaneous PATCHes of an inspection with one version through', async () => {
    const before = (await api.adminApi.get(`/inspections/${inspection.id}`)).body;
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        lead.api.patch(`/inspections/${inspection.id}`, { version: before.version, title: `Title from writer ${i}` }),
      ),
    );
    expect(statuses(responses)).toEqual([200, 409, 409, 409]);
    const winner = responses.find((r) => r.status === 200)!;
    expect(winner.body.version).toBe(before.version + 1);

    const after = await api.adminApi.get(`/inspections/${inspection.id}`);
    expect(after.body.version).toBe(before.version + 1);
    expect(after.body.title).toBe(winner.body.title);
    expect(after.body.title).toMatch(/^Title from writer \d$/);
  });

  it('moves every deadline once when four PATCHes of publishedAt race', async () => {
    const before = (await api.adminApi.get(`/inspections/${inspection.id}`)).body;
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        lead.api.patch(`/inspections/${inspection.id}`, {
          version: before.version,
          publishedAt: `2019-0${i + 1}-15T00:00:00Z`,
        }),
      ),
    );
    expect(statuses(responses)).toEqual([200, 409, 409, 409]);
    const after = (await api.adminApi.get(`/inspections/${inspection.id}`)).body;
    expect(after.version).toBe(before.version + 1);
    const winner = responses.find((r) => r.status === 200)!;
    expect(after.publishedAt).toBe(winner.body.publishedAt);
    // Each recommendation was recomputed once: its version rose by exactly one where its dates moved.
    for (const rec of after.recommendations) {
      const old = before.recommendations.find((r: Recommendation) => r.id === rec.id);
      expect(rec.actionPlanDueAt).not.toBe(old.actionPlanDueAt);
      expect(rec.version).toBe(old.version + 1);
    }
  });
});
