// Caps on what one request may carry and one answer may hold (docs/contract-extensions.md): recommendations per
// inspection, history per detail.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  agreedPlan,
  startApi,
  type RunningApi,
  type TestUser,
  type Organisation,
  type Schema,
  type ApiResponse,
} from '../support/api-harness.js';

const MAX_RECOMMENDATIONS = 500;
const HISTORY_IN_DETAIL = 200;

describe('bounded requests and answers', () => {
  let api: RunningApi, org: Organisation, lead: TestUser, liaison: TestUser, otherLiaison: TestUser;

  const inspectionWith = (count: number) => ({
    organisationId: org.id,
    leadInspectorId: lead.id,
    title: `Inspection of ${count}`,
    programme: 'PEEL',
    publishedAt: '2026-01-05T00:00:00Z',
    recommendations: Array.from({ length: count }, (_, i) => ({ reference: String(i + 1), text: `R${i + 1}` })),
  });

  beforeAll(async () => {
    api = await startApi();
    org = await api.createOrganisation();
    const other = await api.createOrganisation();
    [lead, liaison, otherLiaison] = await Promise.all([
      api.createUser('inspector'),
      api.createUser('liaison', [org.id]),
      api.createUser('liaison', [other.id]),
    ]);
  });

  afterAll(async () => {
    await api?.close();
  });

  it(`refuses an inspection of ${MAX_RECOMMENDATIONS + 1} recommendations with a 400 naming the field, and takes ${MAX_RECOMMENDATIONS}`, async () => {
    const tooMany = await lead.api.post('/inspections', inspectionWith(MAX_RECOMMENDATIONS + 1));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toEqual([`recommendations must list at most ${MAX_RECOMMENDATIONS} recommendations`]);
    const listed = await api.adminApi.get(`/inspections?organisationId=${org.id}`);
    expect(listed.body.items).toEqual([]);

    const most = await lead.api.post('/inspections', inspectionWith(MAX_RECOMMENDATIONS));
    expect(most.status).toBe(201);
    expect(most.body.recommendations).toHaveLength(MAX_RECOMMENDATIONS);
  });

  it(`carries the oldest ${HISTORY_IN_DETAIL} history entries in the detail and pages the rest through /history`, async () => {
    const inspection = await api.createInspection(lead.token, { organisationId: org.id, leadInspectorId: lead.id });
    const id = inspection.recommendations[0].id;
    let version = inspection.recommendations[0].version;
    const planned = await liaison.api.post(`/recommendations/${id}/transitions`, agreedPlan(version));
    expect(planned.status).toBe(200);
    version = planned.body.version;
    // issued + planned + these updates: 205 entries in all.
    for (let i = 0; i < 203; i += 1) {
      const updated = await liaison.api.post(`/recommendations/${id}/transitions`, {
        action: 'update_progress',
        version,
        rag: 'green',
        comment: `update ${i}`,
      });
      expect(updated.status).toBe(200);
      version = updated.body.version;
    }

    const detail = await liaison.api.get(`/recommendations/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.history).toHaveLength(HISTORY_IN_DETAIL);
    expect(detail.body.history[0].action).toBe('recommendation.issued');
    expect(typeof detail.body.historyNextCursor).toBe('string');

    const rest = await liaison.api.get(`/recommendations/${id}/history?cursor=${detail.body.historyNextCursor}`);
    expect(rest.status).toBe(200);
    expect(rest.body.items.map((e: Schema<'HistoryEntryResponse'>) => e.comment)).toEqual([
      'update 198',
      'update 199',
      'update 200',
      'update 201',
      'update 202',
    ]);
    expect(rest.body.nextCursor).toBeNull();

    // Paged from the start in small pages, the history is the same sequence.
    const pages: Schema<'HistoryEntryResponse'>[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: ApiResponse = await liaison.api.get(
        `/recommendations/${id}/history?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      pages.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(pages).toEqual([...detail.body.history, ...rest.body.items]);

    // Another organisation's liaison cannot read it; a tampered cursor is a 400.
    expect((await otherLiaison.api.get(`/recommendations/${id}/history`)).status).toBe(404);
    expect((await liaison.api.get(`/recommendations/${id}/history?cursor=bm9wZQ`)).status).toBe(400);
  }, 180_000);

  it('refuses a closure proposal with more than 100 evidence items, naming the field', async () => {
    const inspection = await api.createInspection(lead.token, { organisationId: org.id, leadInspectorId: lead.id });
    const rec = inspection.recommendations[0];
    const response = await liaison.api.post(`/recommendations/${rec.id}/transitions`, {
      action: 'propose_closure',
      version: rec.version,
      evidence: Array.from({ length: 101 }, (_, i) => ({ title: `Evidence ${i}` })),
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toEqual(['evidence must list at most 100 items']);
  });
});
