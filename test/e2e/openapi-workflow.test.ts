// A client generated from docs/openapi.json (openapi-typescript + openapi-fetch, no media-type filter) drives a whole
// recommendation workflow and reads every list, with no type assertion anywhere (checked below on this file's own
// syntax tree; `npm run typecheck` compiles it under strict), and every answer is valid against the document (Ajv).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import ts from 'typescript';
import type { paths } from '../support/api-schema.js';
import { TEST_PASSWORD, startApi, type RunningApi } from '../support/api-harness.js';
import { answerProblems } from '../support/openapi-answers.js';

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The body of an answer with the expected status; a failure naming what came back otherwise. */
async function expectBody<T>(call: Promise<Answer<T>>, status: number): Promise<T> {
  const { data, error, response } = await call;
  if (response.status !== status || data === undefined) {
    throw new Error(
      `${response.url}: expected ${status} with a body, got ${response.status}: ${JSON.stringify(error)}`,
    );
  }
  return data;
}

/** An answer without a body (204, 202) with the expected status. */
async function expectEmpty(call: Promise<Answer<unknown>>, status: number): Promise<void> {
  const { error, response } = await call;
  if (response.status !== status)
    throw new Error(`${response.url}: expected ${status}, got ${response.status}: ${JSON.stringify(error)}`);
}

/** Every type assertion (`x as T`, `<T>x`, `x!`) in a TypeScript source, with its line. */
function typeAssertions(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
      found.push(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('a generated client drives a whole workflow without a cast', () => {
  let api: RunningApi;
  /** What differs from the document, over every answer the clients received. */
  const problems: string[] = [];
  const validateAnswers: Middleware = {
    async onResponse({ request, response }) {
      const type = response.headers.get('content-type');
      const body = type?.includes('json') ? await response.clone().json() : undefined;
      problems.push(...answerProblems(request.method, new URL(request.url).pathname, response.status, type, body));
    },
  };
  const clientFor = (token?: string): Client<paths> => {
    const client = createClient<paths>({
      baseUrl: api.baseUrl,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    client.use(validateAnswers);
    return client;
  };
  const signIn = async (email: string): Promise<Client<paths>> =>
    clientFor(
      (await expectBody(clientFor().POST('/auth/login', { body: { email, password: TEST_PASSWORD } }), 200))
        .accessToken,
    );

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('has no type assertion in this file', () => {
    expect(typeAssertions('test/e2e/openapi-workflow.test.ts')).toEqual([]);
    const casts = ['const a = data as T;', 'const b = <T>data;', 'const c = data!.items;', "const d = 'x' as const;"];
    expect(typeAssertions('casts.ts', casts.join('\n'))).toHaveLength(casts.length);
  });

  it('refuses, by the document, a body missing a field, a status not listed and a media type not listed', () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect(answerProblems('GET', `/recommendations/${id}`, 200, 'application/json', { id })).toEqual(
      expect.arrayContaining([expect.stringContaining("must have required property 'status'")]),
    );
    expect(answerProblems('GET', `/recommendations/${id}`, 418, 'application/json', {})).toEqual([
      expect.stringContaining('a status the document does not list'),
    ]);
    expect(answerProblems('GET', '/register/ABC.json', 200, 'text/csv; charset=utf-8', 'a,b')).toEqual([
      expect.stringContaining('which the document does not list'),
    ]);
    expect(answerProblems('GET', '/metrics', 200, 'text/plain', '')).toEqual([]);
  });

  it('plans, progresses, amends, proposes, withdraws, returns, authorises, reopens and closes; then reads every list', async () => {
    const anonymous = clientFor();
    const login = await expectBody(
      anonymous.POST('/auth/login', { body: { email: api.admin.email, password: api.admin.password } }),
      200,
    );
    const admin = clientFor(login.accessToken);

    const code = `WF${Date.now().toString(36)}`.toUpperCase();
    const org = await expectBody(admin.POST('/organisations', { body: { name: 'Workflow Police', code } }), 201);
    const person = (role: 'inspector' | 'liaison', organisationIds: string[]) => ({
      email: `${role}-${code}@e2e.test`.toLowerCase(),
      name: `The ${role}`,
      password: TEST_PASSWORD,
      role,
      organisationIds,
    });
    const lead = await expectBody(admin.POST('/users', { body: person('inspector', []) }), 201);
    const liaisonUser = await expectBody(admin.POST('/users', { body: person('liaison', [org.id]) }), 201);
    const [inspector, liaison] = await Promise.all([signIn(lead.email), signIn(liaisonUser.email)]);

    const created = await expectBody(
      inspector.POST('/inspections', {
        body: {
          organisationId: org.id,
          title: 'Workflow inspection',
          programme: 'NCPI',
          publishedAt: '2018-08-30T00:00:00Z',
          leadInspectorId: lead.id,
          recommendations: [
            { reference: '1', text: 'Review the custody protocol' },
            { reference: '2', text: 'Train every officer', timeframe: 'P3M' },
          ],
        },
      }),
      201,
    );
    const [first, second] = created.recommendations;
    const id = { params: { path: { id: first.id } } };

    // The force plans (actions as a list of lines), reports progress, amends the plan and proposes closure.
    let rec = await expectBody(
      liaison.POST('/recommendations/{id}/transitions', {
        ...id,
        body: {
          action: 'submit_plan',
          version: first.version,
          response: 'agreed',
          owner: 'Head of custody',
          actions: ['Rewrite', 'Audit'],
          targetDate: '2019-06-30',
        },
      }),
      200,
    );
    expect([rec.status, rec.actions, rec.rag]).toEqual(['planned', 'Rewrite\nAudit', null]);
    rec = await expectBody(
      liaison.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'update_progress', version: rec.version, rag: 'amber' },
      }),
      200,
    );
    expect(rec.rag).toBe('amber');
    rec = await expectBody(
      liaison.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'amend_plan', version: rec.version, targetDate: '2019-09-30', comment: 'Audit moved' },
      }),
      200,
    );
    expect(rec.targetDate).toBe('2019-09-30');
    const evidence = [{ title: 'Custody audit', url: 'https://example.org/audit', note: 'Signed off' }];
    rec = await expectBody(
      liaison.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'propose_closure', version: rec.version, evidence },
      }),
      200,
    );
    expect(rec.status).toBe('closure_proposed');
    rec = await expectBody(
      liaison.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'withdraw_closure', version: rec.version },
      }),
      200,
    );
    expect(rec.status).toBe('planned');
    rec = await expectBody(
      liaison.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'propose_closure', version: rec.version, evidence },
      }),
      200,
    );

    // The lead inspector returns it, is asked again, authorises closure, reopens it and closes it as not implemented.
    rec = await expectBody(
      inspector.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'return', version: rec.version, comment: 'Audit the night shift too' },
      }),
      200,
    );
    expect(rec.status).toBe('planned');
    rec = await expectBody(
      liaison.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'propose_closure', version: rec.version, evidence },
      }),
      200,
    );
    rec = await expectBody(
      inspector.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'authorise_closure', version: rec.version, outcome: 'implemented' },
      }),
      200,
    );
    expect([rec.status, rec.outcome]).toEqual(['closed', 'implemented']);
    rec = await expectBody(
      inspector.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'reopen', version: rec.version, comment: 'Found again on revisit' },
      }),
      200,
    );
    expect([rec.status, rec.outcome]).toEqual(['planned', null]);
    rec = await expectBody(
      inspector.POST('/recommendations/{id}/transitions', {
        ...id,
        body: { action: 'close', version: rec.version, outcome: 'not_implemented', comment: 'Force merged' },
      }),
      200,
    );
    expect([rec.status, rec.outcome]).toEqual(['closed', 'not_implemented']);
    expect(rec.history.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['submit_plan', 'return', 'authorise_closure', 'reopen', 'close']),
    );

    // A refused action answers the contract's error, typed as such, and changes nothing.
    const refused = await liaison.POST('/recommendations/{id}/transitions', {
      ...id,
      body: { action: 'withdraw_closure', version: rec.version },
    });
    expect([refused.response.status, refused.error?.code, refused.error?.message]).toEqual([
      409,
      'TRANSITION_NOT_ALLOWED',
      expect.stringContaining('closed'),
    ]);
    expect((await expectBody(admin.GET('/recommendations/{id}', id), 200)).version).toBe(rec.version);
    const stale = await admin.POST('/recommendations/{id}/transitions', {
      params: { path: { id: second.id } },
      body: { action: 'close', version: second.version + 1, outcome: 'superseded', comment: 'Replaced' },
    });
    expect([stale.response.status, stale.error?.code]).toEqual([409, 'STALE_VERSION']);

    // Every list, each answer checked against the document.
    const byOrg = { params: { query: { organisationId: org.id } } };
    expect(
      (await expectBody(admin.GET('/users', { params: { query: { limit: 500 } } }), 200)).items.map((u) => u.id),
    ).toEqual(expect.arrayContaining([lead.id, liaisonUser.id]));
    expect(
      (await expectBody(admin.GET('/organisations', { params: { query: { limit: 500 } } }), 200)).items.map(
        (o) => o.code,
      ),
    ).toContain(code);
    expect((await expectBody(admin.GET('/inspections', byOrg), 200)).items.map((i) => i.id)).toEqual([created.id]);
    const page = await expectBody(
      admin.GET('/recommendations', { params: { query: { organisationId: org.id, limit: 1 } } }),
      200,
    );
    expect(page.items).toHaveLength(1);
    const rest = await expectBody(
      admin.GET('/recommendations', {
        params: { query: { organisationId: org.id, cursor: page.nextCursor ?? undefined } },
      }),
      200,
    );
    expect([...page.items, ...rest.items].map((r) => r.reference).sort()).toEqual(['1', '2']);
    expect((await expectBody(admin.GET('/recommendations/{id}/history', id), 200)).items.length).toBeGreaterThanOrEqual(
      10,
    );
    expect(await expectBody(admin.GET('/recommendations.csv', { ...byOrg, parseAs: 'text' }), 200)).toContain(
      'Train every officer',
    );
    expect(
      (await expectBody(admin.GET('/notifications', { params: { query: { recommendationId: first.id } } }), 200)).items
        .length,
    ).toBeGreaterThan(0);
    expect(Array.isArray((await expectBody(admin.GET('/follow-up-policies'), 200)).items)).toBe(true);
    expect(Array.isArray((await expectBody(admin.GET('/webhooks'), 200)).items)).toBe(true);
    expect((await expectBody(admin.GET('/dashboard', byOrg), 200)).totals.closed).toBe(1);
    expect((await expectBody(inspector.GET('/work'), 200)).groups.length).toBeGreaterThan(0);
    const pack = await expectBody(
      admin.GET('/inspections/{id}/readiness', { params: { path: { id: created.id } } }),
      200,
    );
    expect(typeof pack === 'string' ? pack : pack.recommendations.map((r) => r.reference)).toEqual(['1', '2']);
    expect((await expectBody(anonymous.GET('/register'), 200)).items.map((force) => force.code)).toContain(code);
    const register = await expectBody(anonymous.GET('/register/{code}.json', { params: { path: { code } } }), 200);
    expect(register.organisation.code).toBe(code);
    expect(
      await expectBody(anonymous.GET('/register/{code}.csv', { params: { path: { code } }, parseAs: 'text' }), 200),
    ).toMatch(/\S/);

    await expectEmpty(admin.POST('/auth/logout'), 204);
    expect(problems).toEqual([]);
  });
});
