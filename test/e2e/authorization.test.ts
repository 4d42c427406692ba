// The authorization matrix, generated from the routes the API declares: a new route is covered (or
// fails here) without anyone remembering to add it. Then organisation scoping and lead-inspector rules.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RouteInfo } from '../../apps/api/src/http/route-table.js';
import {
  startApi,
  type ApiClient,
  type Role,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Organisation,
  type Schema,
  type Recommendation,
  type ApiResponse,
} from '../support/api-harness.js';
import {
  ALLOWED_CASES,
  BODYLESS_SUCCESS,
  declaredTypes,
  FORBIDDEN_CASES,
  forgedToken,
  label,
  OWN_BODY_ROUTES,
  PROTECTED,
  ROUTES,
  send,
  SPECIAL_ANSWERS,
} from '../support/authorization-cases.js';
import { uploadEvidence } from '../support/evidence-client.js';
import { pdf } from '../support/evidence-files.js';

describe('authorization', () => {
  let api: RunningApi;
  let orgA: Organisation;
  let orgB: Organisation;
  let lead: TestUser;
  let otherInspector: TestUser;
  let liaisonA: TestUser;
  let liaisonB: TestUser;
  let managerA: TestUser;
  let managerAll: TestUser;
  let inspectionA: InspectionDetail;
  let inspectionB: InspectionDetail;
  /** Org A's recommendations by state. */
  const a = {} as Record<'issued' | 'proposed' | 'closed', Recommendation>;
  /** Org B's recommendations. */
  let recB: Recommendation;
  const clients: Partial<Record<Role, ApiClient>> = {};
  /**
   * Org A's webhook subscription (made by manager A, so both roles that manage webhooks see it), a real delivery of it,
   * and an evidence file uploaded by liaison A.
   */
  let webhook: { id: string };
  let deliveryId: string;
  let evidenceFile: { id: string };
  /** A personal API token of liaison B (every role may have them here). */
  let apiTokenId: string;
  const makeApiToken = async (client: ApiClient) => {
    const r = await client.post('/users/me/api-tokens', { name: 'Authorization matrix', scope: 'read-only' });
    expect(r.status).toBe(201);
    return r.body.apiToken.id as string;
  };
  const subscribe = async () => {
    const r = await managerA.api.post('/webhooks', {
      url: 'https://hooks.example/authorization',
      events: ['recommendation.transitioned'],
    });
    expect(r.status).toBe(201);
    return r.body as { id: string };
  };
  const uploadFile = async () => {
    const r = await uploadEvidence(api.baseUrl, liaisonA.token, a.issued.id, [{ name: 'minutes.pdf', bytes: pdf() }]);
    expect(r.status).toBe(202);
    return r.body[0] as { id: string };
  };

  beforeAll(async () => {
    // Scanning off on purpose: the uploaded file is servable, so its content route can answer 200.
    api = await startApi({ EVIDENCE_SCAN: 'off' });
    orgA = await api.createOrganisation({ name: 'Force A' });
    orgB = await api.createOrganisation({ name: 'Force B' });
    [lead, otherInspector, liaisonA, liaisonB, managerA, managerAll] = await Promise.all([
      api.createUser('inspector'),
      api.createUser('inspector'),
      api.createUser('liaison', [orgA.id]),
      api.createUser('liaison', [orgB.id]),
      api.createUser('manager', [orgA.id]),
      api.createUser('manager', []),
    ]);
    Object.assign(clients, { admin: api.adminApi, manager: managerA.api, inspector: lead.api, liaison: liaisonA.api });

    const recommendations = [{ reference: 'R1' }, { reference: 'R2' }, { reference: 'R3' }];
    inspectionA = await api.createInspection(lead.token, {
      organisationId: orgA.id,
      leadInspectorId: lead.id,
      title: 'Inspection of Force A',
      recommendations,
    });
    inspectionB = await api.createInspection(lead.token, {
      organisationId: orgB.id,
      leadInspectorId: lead.id,
      title: 'Secret inspection of Force B',
      recommendations: [{ reference: 'B1', text: 'Confidential text of Force B' }],
    });
    [a.issued, a.proposed, a.closed] = inspectionA.recommendations;
    [recB] = inspectionB.recommendations;
    // Subscribed before the transitions below, so they plan real deliveries of it.
    webhook = await subscribe();

    // R2 to closure_proposed, R3 to closed: the states in which the inspector actions apply.
    const plan = (v: number) => ({
      action: 'submit_plan',
      version: v,
      response: 'agreed',
      owner: 'Owner',
      actions: 'Act',
      targetDate: '2030-01-31',
    });
    let r = await liaisonA.api.post(`/recommendations/${a.proposed.id}/transitions`, plan(a.proposed.version));
    expect(r.status).toBe(200);
    r = await liaisonA.api.post(`/recommendations/${a.proposed.id}/transitions`, {
      action: 'propose_closure',
      version: r.body.version,
      evidence: [{ title: 'Report' }],
    });
    expect(r.status).toBe(200);
    a.proposed = r.body;
    r = await api.adminApi.post(`/recommendations/${a.closed.id}/transitions`, {
      action: 'close',
      version: a.closed.version,
      outcome: 'superseded',
      comment: 'Replaced',
    });
    expect(r.status).toBe(200);
    a.closed = r.body;

    const deliveries = await api.adminApi.get(`/webhooks/${webhook.id}/deliveries`);
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items.length).toBeGreaterThan(0);
    deliveryId = deliveries.body.items[0].id;
    evidenceFile = await uploadFile();
    r = await api.adminApi.request('PUT', `/inspections/${inspectionA.id}/legal-hold`, {
      reason: 'Authorization matrix',
    });
    expect(r.status).toBe(200);
    r = await api.adminApi.request('PUT', '/api-token-settings', {
      allowedRoles: ['admin', 'manager', 'inspector', 'liaison'],
      version: 1,
    });
    expect(r.status).toBe(200);
    apiTokenId = await makeApiToken(liaisonB.api);
  });

  afterAll(async () => {
    await api?.close();
  });

  /** The route's path with its parameters filled in from org A's real rows. */
  function pathFor(route: RouteInfo): string {
    return route.path.replace(/:(\w+)/g, (_, name: string) => {
      if (name === 'deliveryId' && route.path.startsWith('/webhooks')) return deliveryId;
      if (name === 'tokenId') return apiTokenId;
      if (name !== 'id') throw new Error(`${label(route)}: no test value for :${name}; add one to pathFor`);
      if (route.path.startsWith('/organisations')) return orgA.id;
      if (route.path.startsWith('/inspections')) return inspectionA.id;
      if (route.path.startsWith('/recommendations')) return a.issued.id;
      if (route.path.startsWith('/users')) return liaisonB.id;
      if (route.path.startsWith('/webhooks')) return webhook.id;
      if (route.path.startsWith('/evidence/files')) return evidenceFile.id;
      throw new Error(`${label(route)}: no test value for :id; add one to pathFor`);
    });
  }

  describe('(a) declarations', () => {
    it('finds the routes of contract v1 in the route table', () => {
      const labels = ROUTES.map(label);
      for (const expected of [
        'POST /auth/login',
        'POST /users',
        'GET /users/me',
        'POST /organisations',
        'GET /organisations',
        'POST /inspections',
        'GET /inspections',
        'GET /inspections/:id',
        'PATCH /inspections/:id',
        'GET /recommendations',
        'GET /recommendations/:id',
        'POST /recommendations/:id/transitions',
        'GET /notifications',
        'GET /health',
      ]) {
        expect(labels).toContain(expected);
      }
    });

    it('has an access declaration on every route', () => {
      expect(ROUTES.filter((r) => r.access === undefined).map(label)).toEqual([]);
      for (const r of PROTECTED) expect(r.access?.kind === 'roles' && r.access.roles.length > 0).toBe(true);
    });

    it('makes public only login, the reset request, health, the calendar feed and the public register (web contract)', () => {
      const publicRoutes = ROUTES.filter((r) => r.access?.kind === 'public').map(label);
      expect(publicRoutes).toEqual(
        expect.arrayContaining([
          'POST /auth/login',
          'POST /auth/forgotten-password',
          'GET /health',
          'GET /calendar/:file',
          'GET /register',
          'GET /register/:file',
        ]),
      );
      expect(
        publicRoutes.filter(
          (l) =>
            ![
              'POST /auth/login',
              'POST /auth/forgotten-password',
              'GET /health',
              'GET /register',
              'GET /register/:file',
            ].includes(l) && !/calendar|\.ics/i.test(l),
        ),
      ).toEqual([]);
    });

    it('declares the roles the contract names for the administrative and inspection routes', () => {
      const rolesOf = (method: string, path: string) => {
        const route = ROUTES.find((r) => r.method === method && r.path === path);
        return route?.access?.kind === 'roles' ? [...route.access.roles].sort() : route?.access;
      };
      expect(rolesOf('POST', '/users')).toEqual(['admin']);
      expect(rolesOf('POST', '/organisations')).toEqual(['admin']);
      expect(rolesOf('POST', '/inspections')).toEqual(['admin', 'inspector']);
      expect(rolesOf('GET', '/notifications')).toEqual(['admin', 'inspector', 'manager']);
    });
  });

  describe('(b) authentication', () => {
    it.each(PROTECTED.map((route) => ({ route, name: label(route) })))(
      '$name: 401 without a token, with a garbage one, with a forged one',
      async ({ route }) => {
        const path = pathFor(route);
        for (const token of [null, 'garbage', `${api.admin.token}x`, forgedToken(api.admin.id)]) {
          const response = await send(api.client(token), route, path);
          expect({ token, status: response.status }).toEqual({ token, status: 401 });
          expect(response.body).toMatchObject({
            statusCode: 401,
            error: expect.any(String),
            message: expect.anything(),
          });
        }
      },
    );

    it('has routes with a body type of their own to check (the CSV import and the evidence upload)', () => {
      expect(OWN_BODY_ROUTES.map(label)).toEqual(
        expect.arrayContaining(['POST /inspections/import', 'POST /recommendations/:id/evidence/files']),
      );
    });

    // The chosen order (see SAMPLE_BODIES): a body of a type the route does not take is 415 before the token is
    // looked at, for anyone, and nothing of it is read; with a body of its own type the same caller gets 401 above.
    it.each(OWN_BODY_ROUTES.map((route) => ({ route, name: label(route) })))(
      '$name: a JSON body is 415 before authentication, with or without a token',
      async ({ route }) => {
        for (const token of [null, forgedToken(api.admin.id), api.admin.token]) {
          const response = await api.client(token).request(route.method, pathFor(route), {});
          expect({ token, status: response.status }).toEqual({ token, status: 415 });
          expect(response.body).toMatchObject({
            statusCode: 415,
            message: `this route takes ${declaredTypes(route)!.join(' or ')}, not application/json`,
          });
        }
      },
    );

    it('refuses a scheme other than Bearer', async () => {
      const response = await fetch(`${api.baseUrl}/users/me`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${api.admin.email}:${api.admin.password}`).toString('base64')}`,
        },
      });
      expect(response.status).toBe(401);
    });

    it('serves the public routes without a token', async () => {
      expect((await api.client(null).get('/health')).status).toBe(200);
      expect(
        (await api.client(null).post('/auth/login', { email: liaisonA.email, password: 'wrong-password-123' })).status,
      ).toBe(401);
    });
  });

  describe('(c) roles', () => {
    it('has at least one forbidden case to check', () => {
      expect(FORBIDDEN_CASES.length).toBeGreaterThan(5);
    });

    it.each(FORBIDDEN_CASES)('$name: 403', async ({ route, role }) => {
      const response = await send(clients[role]!, route, pathFor(route));
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
    });

    it.each(ALLOWED_CASES)('$name: passes the access check', async ({ route, role }) => {
      // Signing out ends every token of the caller: that route gets a person of its own.
      const client =
        route.path === '/auth/logout'
          ? (await api.createUser(role, role === 'liaison' ? [orgA.id] : [])).api
          : clients[role]!;
      // Cells that remove or withdraw what they act on get a row of their own, so the shared one stays for the others.
      let path = pathFor(route);
      let ownId: string | undefined;
      if (label(route) === 'DELETE /webhooks/:id') path = `/webhooks/${(ownId = (await subscribe()).id)}`;
      if (label(route) === 'POST /evidence/files/:id/withdraw')
        path = `/evidence/files/${(ownId = (await uploadFile()).id)}/withdraw`;
      if (label(route) === 'DELETE /users/me/api-tokens/:tokenId')
        path = `/users/me/api-tokens/${await makeApiToken(client)}`;
      if (label(route) === 'DELETE /users/:id/api-tokens/:tokenId')
        path = `/users/${liaisonB.id}/api-tokens/${await makeApiToken(liaisonB.api)}`;
      const response = await send(client, route, path);
      const special = SPECIAL_ANSWERS[label(route)]?.(role);
      if (special?.message !== undefined)
        expect({ status: response.status, message: response.body?.message }).toEqual(special);
      // The uploader's withdrawal of the cell's own file: the answer is that file, now withdrawn.
      else if (special) {
        expect(response.status).toBe(special.status);
        expect(response.body).toMatchObject({ id: ownId, withdrawnAt: expect.any(String) });
      } else if (route.method === 'GET') expect(response.status).toBe(200);
      else if (label(route) in BODYLESS_SUCCESS) expect(response.status).toBe(BODYLESS_SUCCESS[label(route)]);
      // An empty body is invalid for every other mutation, and that is found only after the access check: a
      // 400 naming the missing fields (a 500 here would be a bug, not a pass).
      else {
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      }
    });
  });

  describe('(d) organisations and leads', () => {
    /** Admin's view of a recommendation: status, version and history length. */
    const snapshot = async (id: string) => {
      const r = await api.adminApi.get(`/recommendations/${id}`);
      expect(r.status).toBe(200);
      return {
        status: r.body.status,
        version: r.body.version,
        updatedAt: r.body.updatedAt,
        history: r.body.history.length,
      };
    };

    const expectHidden = (response: ApiResponse) => {
      expect(response.status).toBe(404);
      const text = JSON.stringify(response.body);
      expect(text).not.toContain('Force B');
      expect(text).not.toContain('Confidential text');
      expect(text).not.toContain(inspectionB.title);
    };

    it('hides org B from a liaison of org A: 404, never data, never a change', async () => {
      const before = await snapshot(recB.id);
      expectHidden(await liaisonA.api.get(`/inspections/${inspectionB.id}`));
      expectHidden(await liaisonA.api.get(`/recommendations/${recB.id}`));
      expectHidden(await liaisonA.api.get(`/organisations/${orgB.id}`));
      expectHidden(
        await liaisonA.api.post(`/recommendations/${recB.id}/transitions`, {
          action: 'submit_plan',
          version: recB.version,
          response: 'agreed',
          owner: 'Intruder',
          actions: 'None',
          targetDate: '2030-01-01',
        }),
      );
      expectHidden(
        await liaisonA.api.post(`/recommendations/${recB.id}/transitions`, {
          action: 'update_progress',
          version: recB.version,
          rag: 'red',
        }),
      );
      expect(await snapshot(recB.id)).toEqual(before);
      const own = await liaisonB.api.get(`/recommendations/${recB.id}`);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ status: 'issued', owner: null });
    });

    it('answers 404 alike for what does not exist and what is not visible', async () => {
      const absent = await liaisonA.api.get(`/recommendations/00000000-0000-4000-8000-000000000000`);
      const hidden = await liaisonA.api.get(`/recommendations/${recB.id}`);
      expect(absent.status).toBe(404);
      expect(hidden.status).toBe(404);
      expect(hidden.body.message).toBe(absent.body.message);
    });

    it.each([
      ['liaison of A', () => liaisonA],
      ['manager of A', () => managerA],
    ])('lists only org A to the %s', async (_, who) => {
      const user = who();
      const orgs = await user.api.get('/organisations');
      expect(orgs.status).toBe(200);
      expect(orgs.body.items.map((o: Organisation) => o.id)).toEqual([orgA.id]);

      const inspections = await user.api.get('/inspections');
      expect(inspections.status).toBe(200);
      expect(inspections.body.items.map((i: Schema<'InspectionResponse'>) => i.id)).toEqual([inspectionA.id]);

      const recs = await user.api.get('/recommendations');
      expect(recs.status).toBe(200);
      expect(recs.body.items).toHaveLength(3);
      expect(recs.body.items.every((r: Recommendation) => r.organisationId === orgA.id)).toBe(true);

      // Asking for org B by name gives nothing, not org B's data.
      for (const path of [
        `/inspections?organisationId=${orgB.id}`,
        `/recommendations?organisationId=${orgB.id}`,
        `/recommendations?inspectionId=${inspectionB.id}`,
      ]) {
        const r = await user.api.get(path);
        expect(r.status).toBe(200);
        expect(r.body.items).toEqual([]);
      }
      expectHidden(await user.api.get(`/inspections/${inspectionB.id}`));
      expectHidden(await user.api.get(`/recommendations/${recB.id}`));
      expectHidden(await user.api.get(`/organisations/${orgB.id}`));
    });

    it('hides org B from a scoped manager in the delivery ledger and refuses changes', async () => {
      const ledger = await managerA.api.get(`/notifications?recommendationId=${recB.id}`);
      expect(ledger.status).toBe(200);
      expect(ledger.body.items).toEqual([]);
      const before = await snapshot(recB.id);
      const close = await managerA.api.post(`/recommendations/${recB.id}/transitions`, {
        action: 'close',
        version: recB.version,
        outcome: 'superseded',
        comment: 'x',
      });
      expect([403, 404]).toContain(close.status);
      expect(await snapshot(recB.id)).toEqual(before);
    });

    it('shows every organisation to a manager with none, and to inspectors', async () => {
      for (const user of [managerAll, otherInspector]) {
        const orgs = await user.api.get('/organisations');
        expect(orgs.body.items.map((o: Organisation) => o.id).sort()).toEqual([orgA.id, orgB.id].sort());
        const recs = await user.api.get('/recommendations');
        expect(recs.body.items).toHaveLength(4);
        expect((await user.api.get(`/recommendations/${recB.id}`)).status).toBe(200);
      }
    });

    it('refuses the inspector actions to an inspector who does not lead the inspection, and changes nothing', async () => {
      const before = {
        proposed: await snapshot(a.proposed.id),
        closed: await snapshot(a.closed.id),
        issued: await snapshot(a.issued.id),
      };
      const attempts: [Recommendation, Record<string, unknown>][] = [
        [a.proposed, { action: 'authorise_closure', version: a.proposed.version, outcome: 'implemented' }],
        [a.proposed, { action: 'return', version: a.proposed.version, comment: 'Not mine to return' }],
        [
          a.proposed,
          { action: 'close', version: a.proposed.version, outcome: 'not_implemented', comment: 'Not mine to close' },
        ],
        [a.issued, { action: 'close', version: a.issued.version, outcome: 'superseded', comment: 'Not mine to close' }],
        [a.closed, { action: 'reopen', version: a.closed.version, comment: 'Not mine to reopen' }],
        // Who may act is decided before the state: the wrong inspector learns 403, not 409.
        [a.issued, { action: 'authorise_closure', version: a.issued.version }],
      ];
      for (const [rec, body] of attempts) {
        const response = await otherInspector.api.post(`/recommendations/${rec.id}/transitions`, body);
        expect({ action: body.action, status: response.status }).toEqual({ action: body.action, status: 403 });
      }
      expect({
        proposed: await snapshot(a.proposed.id),
        closed: await snapshot(a.closed.id),
        issued: await snapshot(a.issued.id),
      }).toEqual(before);

      const current = (await api.adminApi.get(`/inspections/${inspectionA.id}`)).body;
      const patch = await otherInspector.api.patch(`/inspections/${inspectionA.id}`, {
        version: current.version,
        title: 'Hijacked',
      });
      expect(patch.status).toBe(403);
      const after = (await api.adminApi.get(`/inspections/${inspectionA.id}`)).body;
      expect(after).toMatchObject({ title: current.title, version: current.version });
    });

    it('lets the lead inspector do what the other inspector may not', async () => {
      const response = await lead.api.post(`/recommendations/${a.proposed.id}/transitions`, {
        action: 'return',
        version: a.proposed.version,
        comment: 'More evidence',
      });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('planned');
      const patch = await lead.api.patch(`/inspections/${inspectionA.id}`, {
        version: inspectionA.version,
        title: 'Inspection of Force A (revised)',
      });
      expect(patch.status).toBe(200);
      expect(patch.body.title).toBe('Inspection of Force A (revised)');
    });

    it('refuses each role the actions the transition table gives to others', async () => {
      const cases: [TestUser, string, Record<string, unknown>][] = [
        [liaisonA, a.closed.id, { action: 'reopen', comment: 'I want it open' }],
        [liaisonA, a.issued.id, { action: 'close', outcome: 'superseded', comment: 'Done' }],
        [
          lead,
          a.issued.id,
          { action: 'submit_plan', response: 'agreed', owner: 'x', actions: 'y', targetDate: '2030-01-01' },
        ],
        [managerA, a.issued.id, { action: 'close', outcome: 'superseded', comment: 'Done' }],
      ];
      for (const [user, id, body] of cases) {
        const before = await snapshot(id);
        const response = await user.api.post(`/recommendations/${id}/transitions`, {
          ...body,
          version: before.version,
        });
        expect({ role: user.role, action: body.action, status: response.status }).toEqual({
          role: user.role,
          action: body.action,
          status: 403,
        });
        expect(await snapshot(id)).toEqual(before);
      }
    });
  });
});
