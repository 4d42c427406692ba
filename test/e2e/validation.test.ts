// Bad input: 400 naming the field(s), nothing half-written; bad credentials: 401, then 429.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  TEST_PASSWORD,
  startApi,
  type ApiResponse,
  type RunningApi,
  type TestUser,
  type Organisation,
  type Recommendation,
  type Schema,
} from '../support/api-harness.js';

const MAX_FAILURES = 3;

/** The error message(s) as one string. */
const messageOf = (r: ApiResponse): string =>
  Array.isArray(r.body?.message) ? r.body.message.join(' | ') : String(r.body?.message);

function expectBadRequest(r: ApiResponse, ...fields: (string | RegExp)[]): void {
  expect({ status: r.status, body: r.body }).toMatchObject({
    status: 400,
    body: { statusCode: 400, error: 'Bad Request' },
  });
  const message = messageOf(r);
  for (const field of fields) expect(message).toMatch(field);
}

describe('validation', () => {
  let api: RunningApi;
  let org: Organisation;
  let lead: TestUser;
  let liaison: TestUser;

  const valid = () => ({
    organisationId: org.id,
    title: 'A valid inspection',
    programme: 'PEEL',
    publishedAt: '2024-08-15T00:00:00Z',
    leadInspectorId: lead.id,
    recommendations: [
      { reference: '1', text: 'Do this', timeframe: 'P3M' },
      { reference: '2', text: 'Do that' },
    ],
  });

  beforeAll(async () => {
    api = await startApi({ LOGIN_MAX_FAILURES: String(MAX_FAILURES) });
    org = await api.createOrganisation();
    [lead, liaison] = await Promise.all([api.createUser('inspector'), api.createUser('liaison', [org.id])]);
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('POST /inspections', () => {
    it('refuses an unknown field, naming it', async () => {
      expectBadRequest(
        await lead.api.post('/inspections', { ...valid(), colour: 'blue' }),
        /colour/,
        /should not exist|not accepted/,
      );
      const nested = valid();
      (nested.recommendations[0] as Record<string, unknown>).severity = 'high';
      expectBadRequest(await lead.api.post('/inspections', nested), /severity/);
    });

    it('refuses a missing title', async () => {
      const { title: _, ...body } = valid();
      expectBadRequest(await lead.api.post('/inspections', body), /title/);
    });

    it('refuses a bad publishedAt', async () => {
      expectBadRequest(await lead.api.post('/inspections', { ...valid(), publishedAt: 'last Tuesday' }), /publishedAt/);
      expectBadRequest(
        await lead.api.post('/inspections', { ...valid(), publishedAt: '2024-02-30T00:00:00Z' }),
        /publishedAt/,
      );
    });

    it('names every bad field at once', async () => {
      const { title: _, ...body } = valid();
      expectBadRequest(
        await lead.api.post('/inspections', { ...body, publishedAt: 'never', organisationId: 'nope' }),
        /title/,
        /publishedAt/,
        /organisationId/,
      );
    });

    it("refuses the timeframe 'soon'", async () => {
      const body = valid();
      body.recommendations[1].timeframe = 'soon';
      expectBadRequest(await lead.api.post('/inspections', body), /timeframe/);
    });

    it('refuses a reference used twice in one inspection', async () => {
      const body = valid();
      body.recommendations[1].reference = '1';
      expectBadRequest(await lead.api.post('/inspections', body), /reference/);
    });

    it('refuses a lead who is not an inspector, and an organisation that does not exist', async () => {
      expectBadRequest(
        await lead.api.post('/inspections', { ...valid(), leadInspectorId: liaison.id }),
        /leadInspectorId/,
      );
      expectBadRequest(
        await lead.api.post('/inspections', { ...valid(), organisationId: '00000000-0000-4000-8000-000000000000' }),
        /organisationId/,
      );
    });

    it('refuses a deadline beyond any calendar', async () => {
      const body = valid();
      body.recommendations[1].timeframe = 'P999999Y';
      expectBadRequest(await lead.api.post('/inspections', body), /timeframe/);
      expectBadRequest(
        await lead.api.post('/inspections', { ...valid(), publishedAt: '+275000-01-01T00:00:00Z' }),
        /publishedAt/,
      );
      expectBadRequest(
        await lead.api.post('/inspections', { ...valid(), publishedAt: '9999-12-01T00:00:00Z' }),
        /publishedAt/,
      );
    });

    it("answers a JSON body that is too large or not JSON in the contract's error shape", async () => {
      const send = (body: string) =>
        fetch(`${api.baseUrl}/inspections`, {
          method: 'POST',
          headers: { authorization: `Bearer ${lead.token}`, 'content-type': 'application/json' },
          body,
        });
      const tooLarge = await send(JSON.stringify({ ...valid(), title: 'x'.repeat(200_000) }));
      expect([tooLarge.status, await tooLarge.json()]).toEqual([
        413,
        { statusCode: 413, error: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE', message: 'request entity too large' },
      ]);
      const notJson = await send('{"title": ');
      expect([notJson.status, await notJson.json()]).toMatchObject([
        400,
        { statusCode: 400, error: 'Bad Request', message: expect.stringContaining('JSON') },
      ]);
    });

    it('has written nothing after all those refusals', async () => {
      for (const path of ['/inspections', '/recommendations']) {
        const r = await api.adminApi.get(path);
        expect(r.status).toBe(200);
        expect(r.body).toEqual({ items: [], nextCursor: null });
      }
      // …and the same body, made valid, is accepted.
      expect((await lead.api.post('/inspections', valid())).status).toBe(201);
    });
  });

  describe('paths and queries', () => {
    it.each([
      ['GET', '/inspections/not-a-uuid'],
      ['PATCH', '/inspections/not-a-uuid'],
      ['GET', '/recommendations/123'],
      ['POST', '/recommendations/123/transitions'],
      ['GET', '/organisations/abc'],
    ])('%s %s: 400 naming id', async (method, path) => {
      const body = method === 'GET' ? undefined : { version: 1, action: 'update_progress', rag: 'green' };
      const client = method === 'PATCH' ? lead.api : api.adminApi;
      expectBadRequest(await client.request(method, path, body), /\bid\b/);
    });

    it.each(['/recommendations', '/inspections', '/organisations', '/notifications'])(
      '%s: limit must be 1..500',
      async (path) => {
        expectBadRequest(await api.adminApi.get(`${path}?limit=0`), /limit/);
        expectBadRequest(await api.adminApi.get(`${path}?limit=501`), /limit/);
        expectBadRequest(await api.adminApi.get(`${path}?limit=ten`), /limit/);
        expect((await api.adminApi.get(`${path}?limit=500`)).status).toBe(200);
        expect((await api.adminApi.get(`${path}?limit=1`)).status).toBe(200);
      },
    );

    it('refuses bad filters on GET /recommendations, naming them', async () => {
      expectBadRequest(await api.adminApi.get('/recommendations?status=bogus'), /status/);
      expectBadRequest(await api.adminApi.get('/recommendations?overdue=maybe'), /overdue/);
      expectBadRequest(await api.adminApi.get('/recommendations?dueBefore=someday'), /dueBefore/);
      expectBadRequest(await api.adminApi.get('/recommendations?organisationId=42'), /organisationId/);
      expectBadRequest(await api.adminApi.get('/recommendations?cursor=garbage'), /cursor/);
      expectBadRequest(await api.adminApi.get('/recommendations?colour=red'), /colour/);
      expect((await api.adminApi.get('/recommendations?status=issued&overdue=false&priority=true')).status).toBe(200);
    });

    it('refuses bad filters on GET /notifications, naming them', async () => {
      expectBadRequest(await api.adminApi.get('/notifications?kind=postcard'), /kind/);
      expectBadRequest(await api.adminApi.get('/notifications?status=sending'), /status/);
      expectBadRequest(await api.adminApi.get('/notifications?recommendationId=x'), /recommendationId/);
    });
  });

  describe('transitions', () => {
    let rec: Recommendation & Partial<Schema<'RecommendationDetailResponse'>>;
    const post = (user: TestUser, body: Record<string, unknown>) =>
      user.api.post(`/recommendations/${rec.id}/transitions`, body);
    const refresh = async () => {
      rec = (await api.adminApi.get(`/recommendations/${rec.id}`)).body;
    };
    const plan = {
      action: 'submit_plan',
      response: 'agreed',
      owner: 'Owner',
      actions: 'Actions',
      targetDate: '2030-01-31',
    };

    beforeAll(async () => {
      const inspection = await api.createInspection(lead.token, {
        organisationId: org.id,
        leadInspectorId: lead.id,
        recommendations: [{ reference: 'T1' }],
      });
      rec = inspection.recommendations[0];
    });

    it('refuses an unknown field, and a field the action does not take', async () => {
      expectBadRequest(
        await post(liaison, { ...plan, version: rec.version, colour: 'blue' }),
        /colour/,
        /should not exist|not accepted/,
      );
      expectBadRequest(
        await post(liaison, { ...plan, version: rec.version, rag: 'red' }),
        /rag is not accepted by submit_plan/,
      );
      expectBadRequest(await post(liaison, { ...plan, version: rec.version, action: 'approve' }), /action/);
      expectBadRequest(await post(liaison, { ...plan, version: 'one' }), /version/);
    });

    it('needs a comment with a plan that is not agreed', async () => {
      for (const response of ['partly_agreed', 'not_agreed']) {
        expectBadRequest(await post(liaison, { ...plan, version: rec.version, response }), /comment/);
        expectBadRequest(await post(liaison, { ...plan, version: rec.version, response, comment: '   ' }), /comment/);
      }
      expectBadRequest(await post(liaison, { ...plan, version: rec.version, response: 'mostly' }), /response/);
    });

    it('names each missing part of a plan', async () => {
      expectBadRequest(
        await post(liaison, { action: 'submit_plan', version: rec.version, response: 'agreed' }),
        /owner/,
        /actions/,
        /targetDate/,
      );
      expectBadRequest(await post(liaison, { ...plan, version: rec.version, targetDate: '31/01/2030' }), /targetDate/);
    });

    it('has changed nothing after the refusals', async () => {
      const before = rec;
      await refresh();
      expect(rec).toMatchObject({ status: 'issued', version: before.version, owner: null });
      expect(rec.history).toHaveLength(1);
    });

    it('needs a reason for a new target date, evidence to propose closure, an allowed outcome to close', async () => {
      const planned = await post(liaison, { ...plan, version: rec.version });
      expect(planned.status).toBe(200);
      await refresh();
      expectBadRequest(
        await post(liaison, {
          action: 'update_progress',
          version: rec.version,
          rag: 'amber',
          targetDate: '2031-01-31',
        }),
        /comment/,
      );
      expectBadRequest(await post(liaison, { action: 'update_progress', version: rec.version, rag: 'purple' }), /rag/);
      expectBadRequest(
        await post(liaison, { action: 'propose_closure', version: rec.version, evidence: [] }),
        /evidence/,
      );
      expectBadRequest(await post(liaison, { action: 'propose_closure', version: rec.version }), /evidence/);
      expectBadRequest(
        await post(liaison, {
          action: 'propose_closure',
          version: rec.version,
          evidence: [{ url: 'https://example.org' }],
        }),
        /title/,
      );
      expectBadRequest(
        await post(lead, { action: 'close', version: rec.version, outcome: 'implemented', comment: 'x' }),
        /outcome/,
      );
      expectBadRequest(await post(lead, { action: 'close', version: rec.version, outcome: 'superseded' }), /comment/);
      const unchanged = (await api.adminApi.get(`/recommendations/${rec.id}`)).body;
      expect(unchanged).toMatchObject({ status: 'planned', version: rec.version, targetDate: '2030-01-31', rag: null });
      // The same progress update with its reason is accepted.
      const ok = await post(liaison, {
        action: 'update_progress',
        version: rec.version,
        rag: 'amber',
        targetDate: '2031-01-31',
        comment: 'Budget moved',
      });
      expect(ok.status).toBe(200);
      expect(ok.body.targetDate).toBe('2031-01-31');
    });
  });

  describe('users and organisations', () => {
    it('refuses bad users, naming the fields', async () => {
      expectBadRequest(
        await api.adminApi.post('/users', {
          email: 'not-an-email',
          name: 'X',
          password: 'short',
          role: 'boss',
          organisationIds: [],
        }),
        /email/,
        /password/,
        /role/,
      );
      expectBadRequest(
        await api.adminApi.post('/users', {
          email: 'l@e2e.test',
          name: 'L',
          password: TEST_PASSWORD,
          role: 'liaison',
          organisationIds: [],
        }),
        /organisationIds/,
      );
      expectBadRequest(
        await api.adminApi.post('/users', {
          email: 'l@e2e.test',
          name: 'L',
          password: TEST_PASSWORD,
          role: 'liaison',
          organisationIds: ['x'],
        }),
        /organisationIds/,
      );
      expectBadRequest(await api.adminApi.post('/organisations', { name: '', code: 'X', extra: 1 }), /name/, /extra/);
    });
  });

  describe('login', () => {
    it('answers 401 to a wrong password and to an unknown email alike', async () => {
      const wrong = await api.login(liaison.email, 'wrong-password-123');
      const unknown = await api.login(
        `nobody-${Date.now()}-${Math.random().toString(36).slice(2)}@e2e.test`,
        'wrong-password-123',
      );
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.message).toBe(unknown.body.message);
      expect(wrong.body.accessToken).toBeUndefined();
      expectBadRequest(await api.login('not-an-email', 'x'), /email/);
    });

    it(`answers 429 once more than LOGIN_MAX_FAILURES=${MAX_FAILURES} logins have failed, even with the right password`, async () => {
      const victim = await api.createUser('manager');
      for (let i = 0; i < MAX_FAILURES; i++) {
        expect((await api.login(victim.email, `wrong-password-${i}`)).status).toBe(401);
      }
      const blocked = await api.login(victim.email, TEST_PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.body).toMatchObject({ statusCode: 429, message: expect.any(String) });
      expect((await api.login(victim.email, 'wrong-again-123')).status).toBe(429);
      // Someone else is not slowed down.
      expect((await api.login(liaison.email, TEST_PASSWORD)).status).toBe(200);
    });

    it('does not count successful logins as failures', async () => {
      const user = await api.createUser('manager');
      for (let i = 0; i < MAX_FAILURES + 2; i++) expect((await api.login(user.email, TEST_PASSWORD)).status).toBe(200);
      expect((await api.login(user.email, 'wrong-password-123')).status).toBe(401);
    });
  });
});
