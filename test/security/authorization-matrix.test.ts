// Every API route × role × own/other force, with the status the contract's tables promise (written out
// here by hand from /work/shared/api-contract.md and docs/contract-extensions.md, never read from the
// code's own access metadata), and a check that the route table has no route this matrix lacks.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { API_CONTROLLERS } from '../../apps/api/src/api.module.js';
import { routeTable } from '../../apps/api/src/http/route-table.js';
import { TEST_PASSWORD, startApi, type ApiClient, type ApiResponse, type RunningApi, type TestUser } from '../support/api-harness.js';

/**
 * Who asks. `managerA` and `liaisonA` are scoped to force A; `managerAll` sees every force; `lead` leads
 * every inspection the matrix makes; `inspector` leads none of them.
 */
const ACTORS = ['admin', 'managerAll', 'managerA', 'lead', 'inspector', 'liaisonA'] as const;
type Actor = (typeof ACTORS)[number];
/** Force A's data ("own" for the scoped actors) or force B's ("other"). */
type Force = 'own' | 'other';
type Expected = Record<Actor, readonly [own: number, other: number]>;

interface Fixture {
  api: RunningApi;
  orgA: any;
  orgB: any;
  users: Record<Actor | 'liaisonB', TestUser | { id: string; api: ApiClient; email: string }>;
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

interface Row {
  /** `METHOD /path` as the route table spells it, then an optional variant in brackets. */
  route: string;
  expected: Expected;
  /** Builds the request for one cell, making whatever fresh rows it changes (so cells never interfere). */
  call(f: Fixture, actor: Actor, force: Force): Promise<Call>;
}

const same = (status: number): readonly [number, number] => [status, status];
/** Every actor alike. */
const everyone = (own: number, other = own): Expected => Object.fromEntries(ACTORS.map((a) => [a, [own, other]])) as unknown as Expected;
const unique = () => randomBytes(4).toString('hex');
const orgOf = (f: Fixture, force: Force) => (force === 'own' ? f.orgA : f.orgB);
const liaisonFor = (f: Fixture, force: Force) => (force === 'own' ? f.users.liaisonA : f.users.liaisonB);

/** A fresh inspection of one recommendation in the force, led by `lead`, moved to `state`. */
async function freshRecommendation(f: Fixture, force: Force, state: 'issued' | 'planned' | 'closure_proposed' | 'closed' = 'issued'): Promise<any> {
  const inspection = await f.api.createInspection(f.api.admin.token, {
    organisationId: orgOf(f, force).id,
    leadInspectorId: f.users.lead.id,
    recommendations: [{ reference: 'R1' }],
  });
  let rec = inspection.recommendations[0];
  const step = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post(`/recommendations/${rec.id}/transitions`, { ...body, version: rec.version });
    if (response.status !== 200) throw new Error(`fixture transition ${String(body.action)}: ${response.status} ${JSON.stringify(response.body)}`);
    rec = response.body;
  };
  if (state === 'issued') return rec;
  if (state === 'closed') {
    await step(f.api.adminApi, { action: 'close', outcome: 'superseded', comment: 'Replaced by a newer recommendation' });
    return rec;
  }
  await step(liaisonFor(f, force).api, { action: 'submit_plan', response: 'agreed', owner: 'Owner', actions: 'Act', targetDate: '2030-01-31' });
  if (state === 'closure_proposed') await step(liaisonFor(f, force).api, { action: 'propose_closure', evidence: [{ title: 'Report' }] });
  return rec;
}

async function freshInspection(f: Fixture, force: Force): Promise<any> {
  return f.api.createInspection(f.api.admin.token, { organisationId: orgOf(f, force).id, leadInspectorId: f.users.lead.id });
}

/** A long-lived recommendation per force for the reads. */
const readable: Partial<Record<Force, any>> = {};
async function readableRecommendation(f: Fixture, force: Force): Promise<any> {
  readable[force] ??= await freshRecommendation(f, force);
  return readable[force];
}

const transition = (action: string, state: 'issued' | 'planned' | 'closure_proposed' | 'closed', payload: Record<string, unknown>, expected: Expected): Row => ({
  route: `POST /recommendations/:id/transitions (${action})`,
  expected,
  async call(f, _actor, force) {
    const rec = await freshRecommendation(f, force, state);
    return { method: 'POST', path: `/recommendations/${rec.id}/transitions`, body: { action, version: rec.version, ...payload } };
  },
});

// The contract's rules, cell by cell. 403: the role may not do this at all (checked before anything
// else). 404: the data belongs to a force the caller does not see. Lists answer 200 with what is visible.
const MATRIX: Row[] = [
  {
    route: 'POST /auth/login',
    expected: everyone(200),
    async call(f, actor) {
      const email = actor === 'admin' ? f.api.admin.email : (f.users[actor] as TestUser).email;
      return { method: 'POST', path: '/auth/login', body: { email, password: actor === 'admin' ? f.api.admin.password : TEST_PASSWORD } };
    },
  },
  { route: 'GET /health', expected: everyone(200), call: async () => ({ method: 'GET', path: '/health' }) },
  { route: 'GET /users/me', expected: everyone(200), call: async () => ({ method: 'GET', path: '/users/me' }) },
  {
    route: 'PATCH /users/me',
    expected: everyone(200),
    async call(f, actor) {
      const me = await clientOf(f, actor).get('/users/me');
      return { method: 'PATCH', path: '/users/me', body: { version: me.body.version, reminderDelivery: me.body.reminderDelivery === 'immediate' ? 'daily_digest' : 'immediate' } };
    },
  },
  {
    route: 'POST /users',
    expected: { admin: same(201), managerAll: same(403), managerA: same(403), lead: same(403), inspector: same(403), liaisonA: same(403) },
    call: async (f, _a, force) => ({
      method: 'POST',
      path: '/users',
      body: { email: `new-${unique()}@matrix.test`, name: 'New liaison', password: TEST_PASSWORD, role: 'liaison', organisationIds: [orgOf(f, force).id] },
    }),
  },
  {
    route: 'GET /users',
    expected: { admin: same(200), managerAll: same(403), managerA: same(403), lead: same(403), inspector: same(403), liaisonA: same(403) },
    call: async () => ({ method: 'GET', path: '/users' }),
  },
  {
    route: 'GET /follow-up-policies',
    expected: { admin: same(200), managerAll: same(200), managerA: same(200), lead: same(200), inspector: same(200), liaisonA: same(403) },
    call: async () => ({ method: 'GET', path: '/follow-up-policies' }),
  },
  {
    route: 'POST /follow-up-policies',
    expected: { admin: same(201), managerAll: same(403), managerA: same(403), lead: same(403), inspector: same(403), liaisonA: same(403) },
    call: async () => ({ method: 'POST', path: '/follow-up-policies', body: { programme: `Programme ${unique()}`, actionPlanAfter: 'P6W', revisitAfter: 'P6M' } }),
  },
  {
    route: 'POST /organisations',
    expected: { admin: same(201), managerAll: same(403), managerA: same(403), lead: same(403), inspector: same(403), liaisonA: same(403) },
    call: async () => ({ method: 'POST', path: '/organisations', body: { name: `Force ${unique()}`, code: `F-${unique()}` } }),
  },
  { route: 'GET /organisations', expected: everyone(200), call: async () => ({ method: 'GET', path: '/organisations' }) },
  {
    route: 'GET /organisations/:id',
    expected: { admin: [200, 200], managerAll: [200, 200], managerA: [200, 404], lead: [200, 200], inspector: [200, 200], liaisonA: [200, 404] },
    call: async (f, _a, force) => ({ method: 'GET', path: `/organisations/${orgOf(f, force).id}` }),
  },
  {
    route: 'POST /inspections',
    expected: { admin: same(201), managerAll: same(403), managerA: same(403), lead: same(201), inspector: same(201), liaisonA: same(403) },
    call: async (f, _a, force) => ({
      method: 'POST',
      path: '/inspections',
      body: {
        organisationId: orgOf(f, force).id,
        leadInspectorId: f.users.lead.id,
        title: `Inspection ${unique()}`,
        programme: 'PEEL',
        publishedAt: '2026-01-05T00:00:00Z',
        recommendations: [{ reference: '1', text: 'Do it' }],
      },
    }),
  },
  {
    route: 'GET /inspections',
    expected: everyone(200),
    call: async (f, _a, force) => ({ method: 'GET', path: `/inspections?organisationId=${orgOf(f, force).id}` }),
  },
  {
    route: 'GET /inspections/:id',
    expected: { admin: [200, 200], managerAll: [200, 200], managerA: [200, 404], lead: [200, 200], inspector: [200, 200], liaisonA: [200, 404] },
    call: async (f, _a, force) => ({ method: 'GET', path: `/inspections/${(await readableRecommendation(f, force)).inspectionId}` }),
  },
  {
    // Dates are the lead inspector's or an administrator's to change.
    route: 'PATCH /inspections/:id',
    expected: { admin: same(200), managerAll: same(403), managerA: same(403), lead: same(200), inspector: same(403), liaisonA: same(403) },
    async call(f, _a, force) {
      const inspection = await freshInspection(f, force);
      return { method: 'PATCH', path: `/inspections/${inspection.id}`, body: { version: inspection.version, title: `Renamed ${unique()}` } };
    },
  },
  {
    route: 'GET /recommendations',
    expected: everyone(200),
    call: async (f, _a, force) => ({ method: 'GET', path: `/recommendations?organisationId=${orgOf(f, force).id}` }),
  },
  {
    route: 'GET /recommendations/:id',
    expected: { admin: [200, 200], managerAll: [200, 200], managerA: [200, 404], lead: [200, 200], inspector: [200, 200], liaisonA: [200, 404] },
    call: async (f, _a, force) => ({ method: 'GET', path: `/recommendations/${(await readableRecommendation(f, force)).id}` }),
  },
  {
    route: 'GET /recommendations/:id/history',
    expected: { admin: [200, 200], managerAll: [200, 200], managerA: [200, 404], lead: [200, 200], inspector: [200, 200], liaisonA: [200, 404] },
    call: async (f, _a, force) => ({ method: 'GET', path: `/recommendations/${(await readableRecommendation(f, force)).id}/history` }),
  },
  // The transition table: who may take each action; another force's recommendation is 404 to those who cannot see it.
  transition('submit_plan', 'issued', { response: 'agreed', owner: 'Owner', actions: 'Act', targetDate: '2030-01-31' }, {
    admin: same(403), managerAll: same(403), managerA: [403, 404], lead: same(403), inspector: same(403), liaisonA: [200, 404],
  }),
  transition('update_progress', 'planned', { rag: 'green', comment: 'On track' }, {
    admin: same(403), managerAll: same(403), managerA: [403, 404], lead: same(403), inspector: same(403), liaisonA: [200, 404],
  }),
  transition('propose_closure', 'planned', { evidence: [{ title: 'Audit report' }] }, {
    admin: same(403), managerAll: same(403), managerA: [403, 404], lead: same(403), inspector: same(403), liaisonA: [200, 404],
  }),
  // Inspector actions: only the lead inspector of the inspection.
  transition('authorise_closure', 'closure_proposed', { outcome: 'implemented' }, {
    admin: same(403), managerAll: same(403), managerA: [403, 404], lead: same(200), inspector: same(403), liaisonA: [403, 404],
  }),
  transition('return', 'closure_proposed', { comment: 'More evidence, please' }, {
    admin: same(403), managerAll: same(403), managerA: [403, 404], lead: same(200), inspector: same(403), liaisonA: [403, 404],
  }),
  transition('close', 'planned', { outcome: 'superseded', comment: 'Replaced' }, {
    admin: same(200), managerAll: same(403), managerA: [403, 404], lead: same(200), inspector: same(403), liaisonA: [403, 404],
  }),
  transition('reopen', 'closed', { comment: 'Concerns again' }, {
    admin: same(403), managerAll: same(403), managerA: [403, 404], lead: same(200), inspector: same(403), liaisonA: [403, 404],
  }),
  {
    // Admins and managers; inspectors see the notices of the inspections they lead; liaison officers, none.
    route: 'GET /notifications',
    expected: { admin: same(200), managerAll: same(200), managerA: same(200), lead: same(200), inspector: same(200), liaisonA: same(403) },
    call: async (f, _a, force) => ({ method: 'GET', path: `/notifications?recommendationId=${(await readableRecommendation(f, force)).id}` }),
  },
];

let fixture: Fixture;
const clientOf = (f: Fixture, actor: Actor): ApiClient => (actor === 'admin' ? f.api.adminApi : (f.users[actor] as TestUser).api);
const CELLS = MATRIX.flatMap((row) =>
  ACTORS.flatMap((actor) => (['own', 'other'] as const).map((force, i) => ({ name: `${row.route} as ${actor}, ${force} force`, row, actor, force, expected: row.expected[actor][i] }))),
);

describe('authorization matrix', () => {
  beforeAll(async () => {
    const api = await startApi();
    const [orgA, orgB] = [await api.createOrganisation({ name: 'Matrix Force A' }), await api.createOrganisation({ name: 'Matrix Force B' })];
    const [managerAll, managerA, lead, inspector, liaisonA, liaisonB] = await Promise.all([
      api.createUser('manager', []),
      api.createUser('manager', [orgA.id]),
      api.createUser('inspector'),
      api.createUser('inspector'),
      api.createUser('liaison', [orgA.id]),
      api.createUser('liaison', [orgB.id]),
    ]);
    fixture = {
      api,
      orgA,
      orgB,
      users: { admin: { id: api.admin.id, email: api.admin.email, api: api.adminApi }, managerAll, managerA, lead, inspector, liaisonA, liaisonB },
    };
  }, 60_000);

  afterAll(async () => {
    await fixture?.api.close();
  });

  it('covers every route the API serves, and serves every route it covers', () => {
    const served = routeTable(API_CONTROLLERS).map((r) => `${r.method} ${r.path}`).sort();
    const covered = [...new Set(MATRIX.map((row) => row.route.replace(/ \(.*\)$/, '')))].sort();
    // A new route fails here until its row, with statuses from the contract, is added above.
    expect(served.filter((r) => !covered.includes(r))).toEqual([]);
    expect(covered.filter((r) => !served.includes(r))).toEqual([]);
    // Every action of the contract's transition table has its row.
    const actions = MATRIX.map((row) => /\((\w+)\)$/.exec(row.route)?.[1]).filter(Boolean).sort();
    expect(actions).toEqual(['authorise_closure', 'close', 'propose_closure', 'reopen', 'return', 'submit_plan', 'update_progress']);
  });

  it('sends no token: 401 on every route but the public ones', async () => {
    const anonymous = fixture.api.client(null);
    for (const row of MATRIX) {
      const call = await row.call(fixture, 'admin', 'own');
      const response = await anonymous.request(call.method, call.path, call.body);
      const isPublic = row.route === 'POST /auth/login' || row.route === 'GET /health';
      expect({ route: row.route, status: response.status }).toEqual({ route: row.route, status: isPublic ? 200 : 401 });
    }
  });

  it.each(CELLS)('$name: $expected', async ({ row, actor, force, expected }) => {
    const call = await row.call(fixture, actor, force);
    const response: ApiResponse = await clientOf(fixture, actor).request(call.method, call.path, call.body);
    expect({ status: response.status, body: response.status === expected ? undefined : response.body }).toEqual({ status: expected, body: undefined });
    if (expected >= 400) expect(response.body).toMatchObject({ statusCode: expected });
  });

  it('shows a scoped caller none of the other force in lists (200, but empty)', async () => {
    for (const actor of ['managerA', 'liaisonA'] as const) {
      for (const path of [`/inspections?organisationId=${fixture.orgB.id}`, `/recommendations?organisationId=${fixture.orgB.id}`]) {
        const response = await clientOf(fixture, actor).get(path);
        expect({ actor, path, status: response.status, items: response.body.items }).toEqual({ actor, path, status: 200, items: [] });
      }
      const orgs = await clientOf(fixture, actor).get('/organisations');
      expect(orgs.body.items.map((o: any) => o.id)).toEqual([fixture.orgA.id]);
    }
    const notices = await clientOf(fixture, 'managerA').get(`/notifications?recommendationId=${(await readableRecommendation(fixture, 'other')).id}`);
    expect(notices.body.items).toEqual([]);
  });
});
