// PATCH /inspections/:id racing transitions on its recommendations answers 200 or 409, never 500 (a deadlock), and
// leaves one audit event per change.
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
import { withClient } from '../support/database.js';

const RECOMMENDATIONS = 6;
const ROUNDS = 6;

describe('an inspection PATCH racing transitions on its recommendations', () => {
  let api: RunningApi, lead: TestUser, liaison: TestUser, inspection: InspectionDetail;

  beforeAll(async () => {
    api = await startApi();
    ({ lead, liaison, inspection } = await createForceWithInspection(
      api,
      Array.from({ length: RECOMMENDATIONS }, (_, i) => ({ reference: `R${i + 1}` })),
    ));
    for (const rec of inspection.recommendations) {
      const planned = await liaison.api.post(`/recommendations/${rec.id}/transitions`, agreedPlan(rec.version));
      expect(planned.status).toBe(200);
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  const countEvents = (): Promise<Map<string, number>> =>
    withClient(api.dbUrl, async (client) => {
      const { rows } = await client.query<{ key: string; n: number }>(
        `SELECT entity_id || ' ' || action AS key, count(*)::int AS n FROM audit_events GROUP BY 1`,
      );
      return new Map(rows.map((r) => [r.key, r.n]));
    });

  it('answers every request 200 or 409 and records exactly one audit event per change', async () => {
    const before = await countEvents();
    const patched: ApiResponse[] = [];
    const transitioned = new Map<string, ApiResponse[]>(inspection.recommendations.map((r) => [r.id, []]));

    for (let round = 0; round < ROUNDS; round++) {
      const current = (await api.adminApi.get(`/inspections/${inspection.id}`)).body;
      const requests: Promise<void>[] = [
        lead.api
          .patch(`/inspections/${inspection.id}`, {
            version: current.version,
            publishedAt: `2019-0${(round % 9) + 1}-1${round % 9}T00:00:00Z`,
          })
          .then((r) => void patched.push(r)),
        ...current.recommendations.map((rec: Recommendation, i: number) =>
          liaison.api
            .post(`/recommendations/${rec.id}/transitions`, {
              action: 'update_progress',
              version: rec.version,
              rag: ['green', 'amber', 'red'][(round + i) % 3],
              comment: `round ${round}`,
            })
            .then((r) => void transitioned.get(rec.id)!.push(r)),
        ),
      ];
      await Promise.all(requests);
    }

    const all = [...patched, ...[...transitioned.values()].flat()];
    const unexpected = all
      .filter((r) => r.status !== 200 && r.status !== 409)
      .map((r) => ({ status: r.status, body: r.body }));
    expect(unexpected).toEqual([]);

    const after = await countEvents();
    const added = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
    const patchesApplied = patched.filter((r) => r.status === 200).length;
    expect(patchesApplied).toBeGreaterThan(0);
    expect(added(`${inspection.id} inspection.updated`)).toBe(patchesApplied);
    for (const [id, responses] of transitioned) {
      expect({ id, updates: added(`${id} update_progress`) }).toEqual({
        id,
        updates: responses.filter((r) => r.status === 200).length,
      });
      // Every applied PATCH moved every recommendation's deadlines: one recompute event each.
      expect({ id, recomputed: added(`${id} recommendation.deadlines_recomputed`) }).toEqual({
        id,
        recomputed: patchesApplied,
      });
    }
  });
});
