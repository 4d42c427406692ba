// Every API route × role × own/other force, with the status the contract's tables promise (written out
// here by hand from docs/contracts/api-contract.md and docs/contract-extensions.md, never read from the
// code's own access metadata), and a check that the route table has no route this matrix lacks.
// Statuses alone are not enough (a change saved before a 404 passed): every cell also compares a checksum of
// every table before and after. A refused cell, and any read, changed nothing (row versions, history, evidence,
// ledger, audit events); an allowed write changed at least the tables its row names, audit_events included.
//
// How it was shown to catch a missing force check: with `canSeeOrganisation` taken out of
// RecommendationsService.transition's first line (`if (!rec) throw notFound(...)` alone), another force's
// transition was saved and the answer was still 404 (from reading the result back): liaisonA's "other force"
// cells for submit_plan and update_progress kept their status and failed only here, naming audit_events,
// notifications, recommendation_state_counts and recommendations as changed (managerA's failed on the status,
// 403 for 404). The check was put back (and they pass); the web form matrix (authorization-matrix-pages.test.ts)
// was checked the same way.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_CONTROLLERS } from '../../apps/api/src/api.module.js';
import { routeTable } from '../../apps/api/src/http/route-table.js';
import {
  TEST_PASSWORD,
  type ApiClient,
  type ApiResponse,
  type TestUser,
  type Organisation,
  type Recommendation,
  type InspectionDetail,
} from '../support/api-harness.js';
import {
  everyone,
  freshRecommendation,
  liaisonFor,
  matrixCells,
  orgOf,
  same,
  startAuthorizationWorld,
  unique,
  type Actor,
  type AuthorizationWorld,
  type Expected,
  type Force,
} from '../support/authorization-world.js';
import { changedTables, tableChecksum } from '../support/db-snapshot.js';

interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** Sends `body` as it is, with this content type, instead of as JSON. */
  contentType?: string;
  /**
   * Sent with this token instead of the actor's: a stand-in of the same role and forces, for a call that would end the
   * actor's own tokens.
   */
  token?: string;
}

interface Row {
  /** `METHOD /path` as the route table spells it, then an optional variant in brackets. */
  route: string;
  expected: Expected;
  /** Builds the request for one cell, making whatever fresh rows it changes (so cells never interfere). */
  call(f: AuthorizationWorld, actor: Actor, force: Force): Promise<Call>;
  /** A write: the tables an allowed call must change (every state change leaves an audit event). Reads change none. */
  changes?: readonly string[];
}

/** Administrators only: every other role is refused (403) before anything else is looked at. */
const adminOnly = (status: number): Expected => ({
  admin: same(status),
  managerAll: same(403),
  managerA: same(403),
  lead: same(403),
  inspector: same(403),
  liaisonA: same(403),
});
/** Everyone but liaison officers. */
const NOT_LIAISON: Expected = {
  admin: same(200),
  managerAll: same(200),
  managerA: same(200),
  lead: same(200),
  inspector: same(200),
  liaisonA: same(403),
};
/** A read of one force's data: 404 to those scoped to the other force. */
const SCOPED_READ: Expected = {
  admin: [200, 200],
  managerAll: [200, 200],
  managerA: [200, 404],
  lead: [200, 200],
  inspector: [200, 200],
  liaisonA: [200, 404],
};
/**
 * A liaison officer's action on their own force's recommendation; another force's is 404 to those who cannot see it.
 */
const LIAISON_ACTION: Expected = {
  admin: same(403),
  managerAll: same(403),
  managerA: [403, 404],
  lead: same(403),
  inspector: same(403),
  liaisonA: [200, 404],
};
/** An action of the inspection's lead inspector alone. */
const LEAD_INSPECTOR_ACTION: Expected = {
  admin: same(403),
  managerAll: same(403),
  managerA: [403, 404],
  lead: same(200),
  inspector: same(403),
  liaisonA: [403, 404],
};
/** A person of the actor's role and forces, signed in, for a cell whose call ends its caller's tokens. */
async function standIn(f: AuthorizationWorld, actor: Actor): Promise<TestUser> {
  const role =
    actor === 'admin'
      ? 'admin'
      : actor.startsWith('manager')
        ? 'manager'
        : actor === 'liaisonA'
          ? 'liaison'
          : 'inspector';
  return f.api.createUser(role, actor === 'managerA' || actor === 'liaisonA' ? [f.orgA.id] : []);
}

async function freshInspection(f: AuthorizationWorld, force: Force): Promise<InspectionDetail> {
  return f.api.createInspection(f.api.admin.token, {
    organisationId: orgOf(f, force).id,
    leadInspectorId: f.users.lead.id,
  });
}

const BOUNDARY = 'matrixboundary';
/** One small PDF as the multipart body of an evidence upload. */
const EVIDENCE_UPLOAD = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="report.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n\r\n--${BOUNDARY}--\r\n`;

/** A fresh evidence file, uploaded by the force's liaison officer to a fresh recommendation. */
async function freshFile(f: AuthorizationWorld, force: Force): Promise<{ id: string; recommendationId: string }> {
  const rec = await freshRecommendation(f, force);
  const answer = await liaisonFor(f, force).api.raw(
    'POST',
    `/recommendations/${rec.id}/evidence/files`,
    EVIDENCE_UPLOAD,
    `multipart/form-data; boundary=${BOUNDARY}`,
  );
  if (answer.status !== 202) throw new Error(`fixture upload: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body[0];
}
const readableFiles: Partial<Record<Force, { id: string; recommendationId: string }>> = {};
const readableFile = async (f: AuthorizationWorld, force: Force) =>
  (readableFiles[force] ??= await freshFile(f, force));

/** A long-lived draft inspection per force (created by an administrator, led by `lead`) for the reads of drafts. */
const readableDrafts: Partial<Record<Force, InspectionDetail>> = {};
const readableDraft = async (f: AuthorizationWorld, force: Force) =>
  (readableDrafts[force] ??= await freshDraft(f, force));
async function freshDraft(f: AuthorizationWorld, force: Force): Promise<InspectionDetail> {
  const created = await f.api.adminApi.post('/inspections', {
    organisationId: orgOf(f, force).id,
    leadInspectorId: f.users.lead.id,
    title: `Draft ${unique()}`,
    programme: 'PEEL',
    publishedAt: '2026-01-05T00:00:00Z',
    draft: true,
    recommendations: [{ reference: '1', text: 'Do it' }],
  });
  if (created.status !== 201) throw new Error(`fixture draft: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
}
/**
 * A draft: seen by inspectorate staff only (administrators, inspectors, managers of every force), 404 to a force's own
 * people.
 */
const DRAFT_READ: Expected = {
  admin: same(200),
  managerAll: same(200),
  managerA: same(404),
  lead: same(200),
  inspector: same(200),
  liaisonA: same(404),
};

/** A long-lived recommendation per force for the reads. */
const readable: Partial<Record<Force, Recommendation>> = {};
async function readableRecommendation(f: AuthorizationWorld, force: Force): Promise<Recommendation> {
  readable[force] ??= await freshRecommendation(f, force);
  return readable[force];
}

/** A person invited (no password yet) into the force, for a cell that resends or revokes their invitation. */
async function invitedUser(f: AuthorizationWorld, force: Force): Promise<string> {
  const created = await f.api.adminApi.post('/users', {
    email: `invited-${unique()}@matrix.test`,
    name: 'Invited',
    role: 'liaison',
    organisationIds: [orgOf(f, force).id],
  });
  if (created.status !== 201) throw new Error(`fixture user: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

/** A new personal API token of the client's person; its id. */
async function freshApiToken(client: ApiClient): Promise<string> {
  const made = await client.post('/users/me/api-tokens', {
    name: `AuthorizationWorld ${unique()}`,
    scope: 'read-only',
  });
  if (made.status !== 201) throw new Error(`fixture API token: ${made.status} ${JSON.stringify(made.body)}`);
  return made.body.apiToken.id;
}

/** A GET of the path `path` builds, which changes nothing. */
const read = (
  route: string,
  expected: Expected,
  path: (f: AuthorizationWorld, force: Force) => string | Promise<string>,
): Row => ({
  route,
  expected,
  call: async (f, _actor, force) => ({ method: 'GET', path: await path(f, force) }),
});

const transition = (
  action: string,
  state: 'issued' | 'planned' | 'closure_proposed' | 'closed',
  payload: Record<string, unknown>,
  expected: Expected,
): Row => ({
  route: `POST /recommendations/:id/transitions (${action})`,
  expected,
  // The row (its version), its history (audit events), and for a proposal its evidence.
  changes: ['recommendations', 'audit_events', ...(action === 'propose_closure' ? ['evidence'] : [])],
  async call(f, _actor, force) {
    const rec = await freshRecommendation(f, force, state);
    return {
      method: 'POST',
      path: `/recommendations/${rec.id}/transitions`,
      body: { action, version: rec.version, ...payload },
    };
  },
});

/** Administrators and managers manage webhooks; a manager sees only their own subscriptions (another's is 404). */
const WEBHOOK_MANAGERS: Expected = {
  admin: same(200),
  managerAll: [200, 404],
  managerA: [200, 404],
  lead: same(403),
  inspector: same(403),
  liaisonA: same(403),
};
const webhookStatus = (status: number): Expected =>
  Object.fromEntries(
    Object.entries(WEBHOOK_MANAGERS).map(([a, [own, other]]) => [
      a,
      [own === 200 ? status : own, other === 200 ? status : other],
    ]),
  ) as unknown as Expected;
const canSubscribe = (actor: Actor) => actor === 'admin' || actor.startsWith('manager');

/**
 * A fresh subscription: "own" is the actor's (an administrator's for those who may not subscribe), "other" someone
 * else's.
 */
async function freshSubscription(f: AuthorizationWorld, actor: Actor, force: Force): Promise<string> {
  const owner = force === 'own' && canSubscribe(actor) ? actor : actor === 'admin' ? 'managerA' : 'admin';
  const response = await clientOf(f, owner).post('/webhooks', {
    url: 'https://receiver.example/hook',
    events: ['inspection.published'],
  });
  if (response.status !== 201)
    throw new Error(`fixture subscription: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

// The webhook writes name no tables yet: a refused cell must still change nothing.
const webhookCall = (route: string, expected: Expected, method: string, suffix: string, body?: unknown): Row => ({
  route,
  expected,
  changes: method === 'GET' ? undefined : [],
  call: async (f, actor, force) => ({
    method,
    path: `/webhooks/${await freshSubscription(f, actor, force)}${suffix}`,
    body,
  }),
});

const WEBHOOK_ROWS: Row[] = [
  {
    route: 'POST /webhooks',
    changes: [],
    expected: {
      admin: same(201),
      managerAll: same(201),
      managerA: [201, 403],
      lead: same(403),
      inspector: same(403),
      liaisonA: same(403),
    },
    call: async (f, _actor, force) => ({
      method: 'POST',
      path: '/webhooks',
      body: {
        url: 'https://receiver.example/hook',
        events: ['recommendation.created'],
        organisationIds: [orgOf(f, force).id],
      },
    }),
  },
  read('GET /webhooks', { ...WEBHOOK_MANAGERS, managerAll: same(200), managerA: same(200) }, () => '/webhooks'),
  webhookCall('GET /webhooks/:id', WEBHOOK_MANAGERS, 'GET', ''),
  webhookCall('DELETE /webhooks/:id', webhookStatus(204), 'DELETE', ''),
  webhookCall('POST /webhooks/:id/rotate-secret', WEBHOOK_MANAGERS, 'POST', '/rotate-secret', {}),
  webhookCall('POST /webhooks/:id/enable', WEBHOOK_MANAGERS, 'POST', '/enable', {}),
  webhookCall('GET /webhooks/:id/deliveries', WEBHOOK_MANAGERS, 'GET', '/deliveries'),
  // A delivery still waiting (no worker runs here) cannot be sent again: 409 to those who may see it.
  {
    route: 'POST /webhooks/:id/deliveries/:deliveryId/resend',
    changes: [],
    expected: webhookStatus(409),
    async call(f, actor, force) {
      const id = await freshSubscription(f, actor, force);
      await freshInspection(f, 'own');
      const deliveries = await f.api.adminApi.get(`/webhooks/${id}/deliveries`);
      return { method: 'POST', path: `/webhooks/${id}/deliveries/${deliveries.body.items[0].id}/resend`, body: {} };
    },
  },
];

// The contract's rules, cell by cell. 403: the role may not do this at all (checked before anything
// else). 404: the data belongs to a force the caller does not see. Lists answer 200 with what is visible.
const MATRIX: Row[] = [
  {
    route: 'POST /auth/login',
    changes: [],
    expected: everyone(200),
    async call(f, actor) {
      const email = actor === 'admin' ? f.api.admin.email : f.users[actor].email;
      return {
        method: 'POST',
        path: '/auth/login',
        body: { email, password: actor === 'admin' ? f.api.admin.password : TEST_PASSWORD },
      };
    },
  },
  read('GET /health', everyone(200), () => '/health'),
  {
    // Ends every API token of its caller, so each cell signs out a stand-in of the actor's role and forces.
    route: 'POST /auth/logout',
    changes: ['users'],
    expected: everyone(204),
    call: async (f, actor) => ({ method: 'POST', path: '/auth/logout', token: (await standIn(f, actor)).token }),
  },
  read('GET /users/me', everyone(200), () => '/users/me'),
  {
    route: 'PATCH /users/me',
    changes: ['users', 'audit_events'],
    expected: everyone(200),
    async call(f, actor) {
      const me = await clientOf(f, actor).get('/users/me');
      return {
        method: 'PATCH',
        path: '/users/me',
        body: {
          version: me.body.version,
          reminderDelivery: me.body.reminderDelivery === 'immediate' ? 'daily_digest' : 'immediate',
        },
      };
    },
  },
  {
    route: 'POST /users',
    changes: ['users', 'audit_events'],
    expected: adminOnly(201),
    call: async (f, _a, force) => ({
      method: 'POST',
      path: '/users',
      body: {
        email: `new-${unique()}@matrix.test`,
        name: 'New liaison',
        password: TEST_PASSWORD,
        role: 'liaison',
        organisationIds: [orgOf(f, force).id],
      },
    }),
  },
  read('GET /users', adminOnly(200), () => '/users'),
  {
    // Role, forces, name and deactivation of a person: administrators only.
    route: 'PATCH /users/:id',
    changes: ['users', 'audit_events'],
    expected: adminOnly(200),
    async call(f, _a, force) {
      const created = await f.api.adminApi.post('/users', {
        email: `patched-${unique()}@matrix.test`,
        name: 'To rename',
        password: TEST_PASSWORD,
        role: 'liaison',
        organisationIds: [orgOf(f, force).id],
      });
      if (created.status !== 201) throw new Error(`fixture user: ${created.status} ${JSON.stringify(created.body)}`);
      return {
        method: 'PATCH',
        path: `/users/${created.body.id}`,
        body: { version: created.body.version, name: `Renamed ${unique()}` },
      };
    },
  },
  // Identity (docs/identity.md): anyone may ask for a reset link (202 whatever the address); invitations are the
  // administrators'.
  // The answer changes nothing: the worker makes the link after it has gone, so the answer tells no one whether the
  // address is known.
  {
    route: 'POST /auth/forgotten-password',
    expected: everyone(202),
    changes: [],
    call: async () => ({
      method: 'POST',
      path: '/auth/forgotten-password',
      body: { email: `someone-${unique()}@matrix.test` },
    }),
  },
  {
    route: 'POST /users/:id/invitation',
    expected: adminOnly(202),
    changes: ['account_links', 'audit_events'],
    call: async (f, _a, force) => ({ method: 'POST', path: `/users/${await invitedUser(f, force)}/invitation` }),
  },
  {
    route: 'DELETE /users/:id/invitation',
    expected: adminOnly(204),
    changes: ['account_links', 'audit_events'],
    call: async (f, _a, force) => ({ method: 'DELETE', path: `/users/${await invitedUser(f, force)}/invitation` }),
  },
  // Anyone signed in replaces their own calendar link; the old one then answers 404.
  {
    route: 'POST /users/me/calendar-token',
    expected: everyone(201),
    changes: ['users'],
    call: async () => ({ method: 'POST', path: '/users/me/calendar-token' }),
  },
  // Personal API tokens (docs/identity.md): the settings are the administrators'; anyone in an allowed role (every
  // role,
  // in this matrix's beforeAll) makes, lists and revokes their own; an administrator lists and revokes anyone's.
  read('GET /api-token-settings', adminOnly(200), () => '/api-token-settings'),
  {
    route: 'PUT /api-token-settings',
    expected: adminOnly(200),
    changes: ['api_token_settings', 'audit_events'],
    call: async (f) => ({
      method: 'PUT',
      path: '/api-token-settings',
      body: {
        allowedRoles: ['admin', 'manager', 'inspector', 'liaison'],
        version: (await f.api.adminApi.get('/api-token-settings')).body.version,
      },
    }),
  },
  read('GET /users/me/api-tokens', everyone(200), () => '/users/me/api-tokens'),
  {
    route: 'POST /users/me/api-tokens',
    expected: everyone(201),
    changes: ['api_tokens', 'audit_events'],
    call: async () => ({
      method: 'POST',
      path: '/users/me/api-tokens',
      body: { name: `Matrix ${unique()}`, scope: 'read-only' },
    }),
  },
  {
    route: 'DELETE /users/me/api-tokens/:tokenId',
    expected: everyone(204),
    changes: ['api_tokens', 'audit_events'],
    call: async (f, actor) => ({
      method: 'DELETE',
      path: `/users/me/api-tokens/${await freshApiToken(clientOf(f, actor))}`,
    }),
  },
  read('GET /users/:id/api-tokens', adminOnly(200), (f, force) => `/users/${liaisonFor(f, force).id}/api-tokens`),
  {
    route: 'DELETE /users/:id/api-tokens/:tokenId',
    expected: adminOnly(204),
    changes: ['api_tokens', 'audit_events'],
    call: async (f, _a, force) => {
      const owner = liaisonFor(f, force);
      return { method: 'DELETE', path: `/users/${owner.id}/api-tokens/${await freshApiToken(owner.api)}` };
    },
  },
  read('GET /follow-up-policies', NOT_LIAISON, () => '/follow-up-policies'),
  {
    route: 'POST /follow-up-policies',
    changes: ['follow_up_policies', 'audit_events'],
    expected: adminOnly(201),
    call: async () => ({
      method: 'POST',
      path: '/follow-up-policies',
      body: { programme: `Programme ${unique()}`, actionPlanAfter: 'P6W', revisitAfter: 'P6M' },
    }),
  },
  {
    route: 'POST /organisations',
    changes: ['organisations', 'audit_events'],
    expected: adminOnly(201),
    call: async () => ({
      method: 'POST',
      path: '/organisations',
      body: { name: `Force ${unique()}`, code: `F-${unique()}` },
    }),
  },
  read('GET /organisations', everyone(200), () => '/organisations'),
  read('GET /organisations/:id', SCOPED_READ, (f, force) => `/organisations/${orgOf(f, force).id}`),
  {
    route: 'POST /inspections',
    changes: ['inspections', 'recommendations', 'audit_events'],
    expected: {
      admin: same(201),
      managerAll: same(403),
      managerA: same(403),
      lead: same(201),
      inspector: same(201),
      liaisonA: same(403),
    },
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
    // The same answers as POST /inspections, with the recommendations as a CSV body.
    route: 'POST /inspections/import',
    changes: ['inspections', 'recommendations', 'audit_events'],
    expected: {
      admin: same(201),
      managerAll: same(403),
      managerA: same(403),
      lead: same(201),
      inspector: same(201),
      liaisonA: same(403),
    },
    call: async (f, _a, force) => ({
      method: 'POST',
      path: `/inspections/import?${new URLSearchParams({ organisationId: orgOf(f, force).id, leadInspectorId: f.users.lead.id, title: `Imported ${unique()}`, programme: 'PEEL', publishedAt: '2026-01-05T00:00:00Z' }).toString()}`,
      body: 'reference,text\n1,Do it\n',
      contentType: 'text/csv',
    }),
  },
  read('GET /inspections', everyone(200), (f, force) => `/inspections?organisationId=${orgOf(f, force).id}`),
  read(
    'GET /inspections/:id',
    SCOPED_READ,
    async (f, force) => `/inspections/${(await readableRecommendation(f, force)).inspectionId}`,
  ),
  // The revisit readiness pack: scoped as the inspection itself is.
  read(
    'GET /inspections/:id/readiness',
    SCOPED_READ,
    async (f, force) => `/inspections/${(await readableRecommendation(f, force)).inspectionId}/readiness`,
  ),
  {
    // Dates are the lead inspector's or an administrator's to change.
    route: 'PATCH /inspections/:id',
    changes: ['inspections', 'audit_events'],
    expected: {
      admin: same(200),
      managerAll: same(403),
      managerA: same(403),
      lead: same(200),
      inspector: same(403),
      liaisonA: same(403),
    },
    async call(f, _a, force) {
      const inspection = await freshInspection(f, force);
      return {
        method: 'PATCH',
        path: `/inspections/${inspection.id}`,
        body: { version: inspection.version, title: `Renamed ${unique()}` },
      };
    },
  },
  read(
    'GET /inspections/:id (a draft)',
    DRAFT_READ,
    async (f, force) => `/inspections/${(await readableDraft(f, force)).id}`,
  ),
  read(
    'GET /inspections/:id/readiness (a draft)',
    DRAFT_READ,
    async (f, force) => `/inspections/${(await readableDraft(f, force)).id}/readiness`,
  ),
  {
    // Publishing a draft: its lead inspector's or an administrator's; it plans the notifications and leaves an audit
    // event.
    route: 'POST /inspections/:id/publish',
    changes: ['inspections', 'recommendations', 'audit_events', 'notifications', 'recommendation_state_counts'],
    expected: {
      admin: same(200),
      managerAll: same(403),
      managerA: same(403),
      lead: same(200),
      inspector: same(403),
      liaisonA: same(403),
    },
    async call(f, _a, force) {
      const draft = await freshDraft(f, force);
      return { method: 'POST', path: `/inspections/${draft.id}/publish`, body: { version: draft.version } };
    },
  },
  read('GET /recommendations', everyone(200), (f, force) => `/recommendations?organisationId=${orgOf(f, force).id}`),
  read(
    'GET /recommendations/:id (of a draft)',
    DRAFT_READ,
    async (f, force) => `/recommendations/${(await readableDraft(f, force)).recommendations[0].id}`,
  ),
  read(
    'GET /recommendations/:id/history (of a draft)',
    DRAFT_READ,
    async (f, force) => `/recommendations/${(await readableDraft(f, force)).recommendations[0].id}/history`,
  ),
  // The list as CSV, with the list's filters: what the caller may see.
  read(
    'GET /recommendations.csv',
    everyone(200),
    (f, force) => `/recommendations.csv?organisationId=${orgOf(f, force).id}`,
  ),
  read(
    'GET /recommendations/:id',
    SCOPED_READ,
    async (f, force) => `/recommendations/${(await readableRecommendation(f, force)).id}`,
  ),
  read(
    'GET /recommendations/:id/history',
    SCOPED_READ,
    async (f, force) => `/recommendations/${(await readableRecommendation(f, force)).id}/history`,
  ),
  // The transition table: who may take each action; another force's recommendation is 404 to those who cannot see it.
  transition(
    'submit_plan',
    'issued',
    { response: 'agreed', owner: 'Owner', actions: 'Act', targetDate: '2030-01-31' },
    LIAISON_ACTION,
  ),
  transition('update_progress', 'planned', { rag: 'green', comment: 'On track' }, LIAISON_ACTION),
  transition('propose_closure', 'planned', { evidence: [{ title: 'Audit report' }] }, LIAISON_ACTION),
  // Inspector actions: only the lead inspector of the inspection.
  transition('authorise_closure', 'closure_proposed', { outcome: 'implemented' }, LEAD_INSPECTOR_ACTION),
  transition('return', 'closure_proposed', { comment: 'More evidence, please' }, LEAD_INSPECTOR_ACTION),
  transition(
    'close',
    'planned',
    { outcome: 'superseded', comment: 'Replaced' },
    {
      admin: same(200),
      managerAll: same(403),
      managerA: [403, 404],
      lead: same(200),
      inspector: same(403),
      liaisonA: [403, 404],
    },
  ),
  transition('reopen', 'closed', { comment: 'Concerns again' }, LEAD_INSPECTOR_ACTION),
  // Admins and managers; inspectors see the notices of the inspections they lead; liaison officers, none.
  read(
    'GET /notifications',
    NOT_LIAISON,
    async (f, force) => `/notifications?recommendationId=${(await readableRecommendation(f, force)).id}`,
  ),
  // Managers in their scope, inspectors and administrators: figures of what the caller may see.
  read('GET /dashboard', NOT_LIAISON, (f, force) => `/dashboard?organisationId=${orgOf(f, force).id}`),
  read('GET /audit/checkpoint', adminOnly(200), () => '/audit/checkpoint'),
  // What waits on the caller: their own counts, whoever they are.
  read('GET /work', everyone(200), () => '/work'),
  // Public (the token is the credential): a token no one holds is 404 to everyone, signed in or not.
  read('GET /calendar/:file', everyone(404), () => `/calendar/${unique()}${unique()}.ics`),
  // The public register, no sign-in: the same for everyone.
  read('GET /register', everyone(200), () => '/register'),
  read('GET /register/:file', everyone(200), (f, force) => `/register/${orgOf(f, force).code}.json`),
  // Evidence files: uploads by the force's liaison officers; reads scoped as the recommendation.
  {
    route: 'POST /recommendations/:id/evidence/files',
    expected: { ...LIAISON_ACTION, liaisonA: [202, 404] },
    changes: ['evidence_files', 'audit_events'],
    async call(f, _a, force) {
      const rec = await freshRecommendation(f, force);
      return {
        method: 'POST',
        path: `/recommendations/${rec.id}/evidence/files`,
        body: EVIDENCE_UPLOAD,
        contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      };
    },
  },
  read(
    'GET /recommendations/:id/evidence/files',
    SCOPED_READ,
    async (f, force) => `/recommendations/${(await readableFile(f, force)).recommendationId}/evidence/files`,
  ),
  read(
    'GET /evidence/files/:id',
    SCOPED_READ,
    async (f, force) => `/evidence/files/${(await readableFile(f, force)).id}`,
  ),
  read(
    'GET /evidence/files/:id/content',
    SCOPED_READ,
    async (f, force) => `/evidence/files/${(await readableFile(f, force)).id}/content`,
  ),
  read(
    'GET /inspections/:id/evidence.zip',
    SCOPED_READ,
    async (f, force) => `/inspections/${(await readableRecommendation(f, force)).inspectionId}/evidence.zip`,
  ),
  // Only the uploader withdraws (the force's liaison officer who sent it).
  {
    route: 'POST /evidence/files/:id/withdraw',
    expected: LIAISON_ACTION,
    changes: ['evidence_files', 'audit_events'],
    call: async (f, _a, force) => ({
      method: 'POST',
      path: `/evidence/files/${(await freshFile(f, force)).id}/withdraw`,
    }),
  },
  {
    route: 'PUT /inspections/:id/legal-hold',
    expected: adminOnly(200),
    changes: ['evidence_legal_holds', 'audit_events'],
    call: async (f, _a, force) => ({
      method: 'PUT',
      path: `/inspections/${(await freshInspection(f, force)).id}/legal-hold`,
      body: { reason: 'Public inquiry' },
    }),
  },
  {
    route: 'DELETE /inspections/:id/legal-hold',
    expected: adminOnly(204),
    changes: ['evidence_legal_holds', 'audit_events'],
    async call(f, _a, force) {
      const inspection = await freshInspection(f, force);
      await f.api.adminApi.request('PUT', `/inspections/${inspection.id}/legal-hold`, { reason: 'Public inquiry' });
      return { method: 'DELETE', path: `/inspections/${inspection.id}/legal-hold` };
    },
  },
  ...WEBHOOK_ROWS,
];

/**
 * Routes that need no sign-in: they answer everyone alike, so an anonymous caller gets the admin's own-force status.
 */
const PUBLIC_ROUTES = [
  'POST /auth/login',
  'POST /auth/forgotten-password',
  'GET /health',
  'GET /calendar/:file',
  'GET /register',
  'GET /register/:file',
];

let fixture: AuthorizationWorld;
const clientOf = (f: AuthorizationWorld, actor: Actor): ApiClient =>
  actor === 'admin' ? f.api.adminApi : f.users[actor].api;
const tokenOf = (f: AuthorizationWorld, actor: Actor): string =>
  actor === 'admin' ? f.api.admin.token : f.users[actor].token;

/** Sends one cell's call with `token` (null: none), as JSON unless the call names its own content type. */
async function send(f: AuthorizationWorld, token: string | null, call: Call): Promise<ApiResponse> {
  const client = f.api.client(call.token ?? token);
  return call.contentType === undefined
    ? client.request(call.method, call.path, call.body)
    : client.raw(call.method, call.path, call.body as string, call.contentType);
}
const CELLS = matrixCells(MATRIX, (row) => row.route);

describe('authorization matrix', () => {
  beforeAll(async () => {
    // Scanning off on purpose: uploaded files are served at once, so downloads answer 200 where they are visible.
    fixture = await startAuthorizationWorld('Matrix', { EVIDENCE_SCAN: 'off' });
  }, 60_000);

  afterAll(async () => {
    await fixture?.db.end();
    await fixture?.api.close();
  });

  it('names what every write changes, and no read claims to', () => {
    for (const row of MATRIX)
      expect({ route: row.route, write: row.changes !== undefined }).toEqual({
        route: row.route,
        write: !row.route.startsWith('GET '),
      });
  });

  it('covers every route the API serves, and serves every route it covers', () => {
    const served = routeTable(API_CONTROLLERS)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    const covered = [...new Set(MATRIX.map((row) => row.route.replace(/ \(.*\)$/, '')))].sort();
    // A new route fails here until its row, with statuses from the contract, is added above.
    expect(served.filter((r) => !covered.includes(r))).toEqual([]);
    expect(covered.filter((r) => !served.includes(r))).toEqual([]);
    // Every action of the contract's transition table has its row.
    const actions = MATRIX.map((row) => /\((\w+)\)$/.exec(row.route)?.[1])
      .filter(Boolean)
      .sort();
    expect(actions).toEqual([
      'authorise_closure',
      'close',
      'propose_closure',
      'reopen',
      'return',
      'submit_plan',
      'update_progress',
    ]);
  });

  it('sends no token: 401 on every route but the public ones', async () => {
    for (const row of MATRIX) {
      const call = await row.call(fixture, 'admin', 'own');
      const response = await send(fixture, null, { ...call, token: undefined });
      const isPublic = PUBLIC_ROUTES.includes(row.route);
      expect({ route: row.route, status: response.status }).toEqual({
        route: row.route,
        status: isPublic ? row.expected.admin[0] : 401,
      });
    }
  });

  it.each(CELLS)('$name: $expected', async ({ row, actor, force, expected }) => {
    const call = await row.call(fixture, actor, force);
    const before = await tableChecksum(fixture.db);
    const response = await send(fixture, tokenOf(fixture, actor), call);
    const changed = changedTables(before, await tableChecksum(fixture.db));
    expect({ status: response.status, body: response.status === expected ? undefined : response.body }).toEqual({
      status: expected,
      body: undefined,
    });
    if (expected >= 400) expect(response.body).toMatchObject({ statusCode: expected });
    // Refused, or a read: nothing changed anywhere. Allowed write: at least what the row names changed.
    if (expected >= 400 || row.changes === undefined) expect({ refusedOrRead: changed }).toEqual({ refusedOrRead: [] });
    else expect({ allowedWrite: changed }).toEqual({ allowedWrite: expect.arrayContaining([...row.changes]) });
    if (expected < 400 && row.changes && row.changes.length > 0) expect(changed.length).toBeGreaterThan(0);
  });

  it('shows a scoped caller none of the other force in lists (200, but empty)', async () => {
    for (const actor of ['managerA', 'liaisonA'] as const) {
      for (const path of [
        `/inspections?organisationId=${fixture.orgB.id}`,
        `/recommendations?organisationId=${fixture.orgB.id}`,
      ]) {
        const response = await clientOf(fixture, actor).get(path);
        expect({ actor, path, status: response.status, items: response.body.items }).toEqual({
          actor,
          path,
          status: 200,
          items: [],
        });
      }
      const csv = await clientOf(fixture, actor).get(`/recommendations.csv?organisationId=${fixture.orgB.id}`);
      expect({ actor, status: csv.status, lines: String(csv.body).trim().split('\n').length }).toEqual({
        actor,
        status: 200,
        lines: 1,
      });
      const orgs = await clientOf(fixture, actor).get('/organisations');
      expect(orgs.body.items.map((o: Organisation) => o.id)).toEqual([fixture.orgA.id]);
    }
    const notices = await clientOf(fixture, 'managerA').get(
      `/notifications?recommendationId=${(await readableRecommendation(fixture, 'other')).id}`,
    );
    expect(notices.body.items).toEqual([]);
    const dashboard = await clientOf(fixture, 'managerA').get(`/dashboard?organisationId=${fixture.orgB.id}`);
    expect(dashboard.body.totals).toEqual({ open: 0, overdue: 0, closed: 0 });
  });
});
