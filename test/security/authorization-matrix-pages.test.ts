// Every web form POST × role × own/other force, signed in through the sign-in form with a valid CSRF token, with
// the status the web contract promises (303 on to the next page; 403 a role that may not; 404 another force's data
// to someone scoped away from it), and a checksum of every table before and after each cell: a refused form
// changed nothing, an allowed one changed what its row names. A check keeps every POST route of the pages here.
//
// How it was shown to catch a missing force check: with `canSeeOrganisation` taken out of the first line of
// RecommendationsService.transition, the submit_plan form's "other force" cell for liaisonA still answered 404
// but failed here on the checksum (the plan was saved for another force). The check was put back; it passes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { routeTable } from '../../apps/api/src/http/route-table.js';
import { WEB_CONTROLLERS } from '../../apps/api/src/web/web.providers.js';
import { TEST_PASSWORD, type ApiClient } from '../support/api-harness.js';
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
import { formFields, formPairs, signedInPages, type PageClient } from '../support/page-client.js';

interface Fixture extends AuthorizationWorld {
  pages: Record<Actor, PageClient>;
}

interface Post {
  path: string;
  fields: [string, string][];
  multipart?: { field: string; name: string; content: string };
  /** Posted by this client instead of the actor's (a stand-in, for a form that ends its poster's session). */
  client?: PageClient;
}

interface Row {
  /** `POST /path` as the route table spells it, then an optional variant in brackets. */
  form: string;
  expected: Expected;
  /** The tables an allowed post must change; a refused one changes none. */
  changes: readonly string[];
  post(f: Fixture, actor: Actor, force: Force): Promise<Post>;
}

const adminOnly: Expected = {
  admin: same(303),
  managerAll: same(403),
  managerA: same(403),
  lead: same(403),
  inspector: same(403),
  liaisonA: same(403),
};
const LIAISON_ACTION: Expected = {
  admin: same(403),
  managerAll: same(403),
  managerA: [403, 404],
  lead: same(403),
  inspector: same(403),
  liaisonA: [303, 404],
};
const LEAD_INSPECTOR_ACTION: Expected = {
  admin: same(403),
  managerAll: same(403),
  managerA: [403, 404],
  lead: same(303),
  inspector: same(403),
  liaisonA: [403, 404],
};
const actionForm = (
  action: string,
  state: 'issued' | 'closure_proposed',
  fields: [string, string][],
  expected: Expected,
): Row => ({
  form: `POST /recommendations/:id (${action})`,
  expected,
  changes: ['recommendations', 'audit_events'],
  async post(f, _actor, force) {
    const rec = await freshRecommendation(f, force, state);
    return {
      path: `/recommendations/${rec.id}`,
      fields: [['action', action], ['version', String(rec.version)], ...fields],
    };
  },
});

/** Administrators and managers manage webhooks on pages; a manager only their own subscriptions (another's is 404). */
const webhookPage = (status: number): Expected => ({
  admin: same(status),
  managerAll: [status, 404],
  managerA: [status, 404],
  lead: same(403),
  inspector: same(403),
  liaisonA: same(403),
});
const mayManageWebhooks = (actor: Actor) => actor === 'admin' || actor.startsWith('manager');

/**
 * A fresh subscription made over the API: "own" is the actor's (an administrator's for those who may not), "other"
 * someone else's.
 */
async function freshSubscription(f: Fixture, actor: Actor, force: Force): Promise<string> {
  const owner = force === 'own' && mayManageWebhooks(actor) ? actor : actor === 'admin' ? 'managerA' : 'admin';
  const client = owner === 'admin' ? f.api.adminApi : f.users[owner].api;
  const response = await client.post('/webhooks', {
    url: 'https://receiver.example/hook',
    events: ['inspection.published'],
  });
  if (response.status !== 201)
    throw new Error(`fixture subscription: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

const webhookForm = (suffix: string, status: number, changes: readonly string[]): Row => ({
  form: `POST /admin/webhooks/:id${suffix}`,
  expected: webhookPage(status),
  changes,
  post: async (f, actor, force) => ({
    path: `/admin/webhooks/${await freshSubscription(f, actor, force)}${suffix}`,
    fields: [],
  }),
});

const WEBHOOK_ROWS: Row[] = [
  {
    // The answer is the new subscription's page with its secret (201), not a redirect: the secret is shown once.
    form: 'POST /admin/webhooks/new',
    expected: {
      admin: same(201),
      managerAll: same(201),
      managerA: [201, 403],
      lead: same(403),
      inspector: same(403),
      liaisonA: same(403),
    },
    changes: ['webhook_subscriptions', 'audit_events'],
    post: async (f, _a, force) => ({
      path: '/admin/webhooks/new',
      fields: [
        ['url', 'https://receiver.example/new'],
        ['events', 'recommendation.created'],
        ['organisationIds', orgOf(f, force).id],
        ['format', 'standard'],
      ],
    }),
  },
  webhookForm('/rotate-secret', 200, ['webhook_subscriptions', 'audit_events']),
  webhookForm('/enable', 303, ['webhook_subscriptions', 'audit_events']),
  webhookForm('/delete', 303, ['webhook_subscriptions', 'audit_events']),
  {
    // No worker runs here, so the delivery still waits: sending it again is refused (409) to those who may see it.
    form: 'POST /admin/webhooks/:id/deliveries/:deliveryId/resend',
    expected: webhookPage(409),
    changes: [],
    async post(f, actor, force) {
      const id = await freshSubscription(f, actor, force);
      await f.api.createInspection(f.api.admin.token, { organisationId: f.orgA.id, leadInspectorId: f.users.lead.id });
      const deliveries = await f.api.adminApi.get(`/webhooks/${id}/deliveries`);
      return { path: `/admin/webhooks/${id}/deliveries/${deliveries.body.items[0].id}/resend`, fields: [] };
    },
  },
];

const MATRIX: Row[] = [
  {
    form: 'POST /account/notifications',
    expected: everyone(303),
    changes: ['users', 'audit_events'],
    async post(f, actor) {
      const fields = formFields((await f.pages[actor].get('/account')).text, '/account/notifications');
      return {
        path: '/account/notifications',
        fields: [
          ['version', fields.version],
          ['reminderDelivery', fields.reminderDelivery === 'immediate' ? 'daily_digest' : 'immediate'],
        ],
      };
    },
  },
  {
    form: 'POST /account/calendar-link',
    expected: everyone(303),
    changes: ['users'],
    post: async () => ({ path: '/account/calendar-link', fields: [] }),
  },
  // Personal API tokens (every role allowed them in beforeAll): made on /account/api-tokens (the answer is the token,
  // shown
  // once: 201), revoked by their owner there or by an administrator on the person's page; the roles are the
  // administrators'.
  {
    form: 'POST /account/api-tokens',
    expected: everyone(201),
    changes: ['api_tokens', 'audit_events'],
    post: async () => ({
      path: '/account/api-tokens',
      fields: [
        ['name', `Pages ${unique()}`],
        ['scope', 'read-only'],
      ],
    }),
  },
  {
    form: 'POST /account/api-tokens/:tokenId/revoke',
    expected: everyone(303),
    changes: ['api_tokens', 'audit_events'],
    post: async (f, actor) => ({
      path: `/account/api-tokens/${await freshApiToken(actor === 'admin' ? f.api.adminApi : f.users[actor].api)}/revoke`,
      fields: [],
    }),
  },
  {
    form: 'POST /admin/api-tokens',
    expected: adminOnly,
    changes: ['api_token_settings', 'audit_events'],
    post: async (f) => ({
      path: '/admin/api-tokens',
      fields: [
        ['version', String((await f.api.adminApi.get('/api-token-settings')).body.version)],
        ...['admin', 'manager', 'inspector', 'liaison'].map((r): [string, string] => ['allowedRoles', r]),
      ],
    }),
  },
  {
    form: 'POST /admin/users/:id/api-tokens/:tokenId/revoke',
    expected: adminOnly,
    changes: ['api_tokens', 'audit_events'],
    post: async (f, _a, force) => {
      const owner = liaisonFor(f, force);
      return { path: `/admin/users/${owner.id}/api-tokens/${await freshApiToken(owner.api)}/revoke`, fields: [] };
    },
  },
  {
    form: 'POST /admin/organisations/new',
    expected: adminOnly,
    changes: ['organisations', 'audit_events'],
    post: async () => ({
      path: '/admin/organisations/new',
      fields: [
        ['name', `Force ${unique()}`],
        ['code', `F-${unique()}`],
      ],
    }),
  },
  {
    // How a force's people sign in: each cell flips a fresh force to single sign-on only, at its current version.
    form: 'POST /admin/organisations/:id/sign-in',
    expected: adminOnly,
    changes: ['organisations', 'audit_events'],
    async post(f) {
      const org = await f.api.createOrganisation({ name: `Force ${unique()}` });
      return {
        path: `/admin/organisations/${org.id}/sign-in`,
        fields: [
          ['ssoOnly', 'yes'],
          ['version', String(org.version)],
        ],
      };
    },
  },
  {
    form: 'POST /admin/policies/new',
    expected: adminOnly,
    changes: ['follow_up_policies', 'audit_events'],
    post: async () => ({
      path: '/admin/policies/new',
      fields: [
        ['programme', `Programme ${unique()}`],
        ['actionPlanAfter', '6 weeks'],
        ['revisitAfter', '6 months'],
      ],
    }),
  },
  {
    form: 'POST /admin/users/new',
    expected: adminOnly,
    changes: ['users', 'account_links', 'audit_events'],
    post: async (f, _a, force) => ({
      path: '/admin/users/new',
      fields: [
        ['name', 'New liaison'],
        ['email', `new-${unique()}@pages.test`],
        ['password', TEST_PASSWORD],
        ['role', 'liaison'],
        ['organisationIds', orgOf(f, force).id],
      ],
    }),
  },
  {
    // Identity (docs/identity.md): an invited person's invitation sent again, or revoked, by an administrator.
    form: 'POST /admin/users/:id/invitation',
    expected: adminOnly,
    changes: ['account_links', 'audit_events'],
    post: async (f, _a, force) => ({ path: `/admin/users/${await invitedUser(f, force)}/invitation`, fields: [] }),
  },
  {
    form: 'POST /admin/users/:id/invitation/revoke',
    expected: adminOnly,
    changes: ['account_links', 'audit_events'],
    post: async (f, _a, force) => ({
      path: `/admin/users/${await invitedUser(f, force)}/invitation/revoke`,
      fields: [],
    }),
  },
  {
    form: 'POST /admin/users/:id',
    expected: adminOnly,
    changes: ['users', 'audit_events'],
    async post(f, _a, force) {
      const user = await f.api.createUser('liaison', [orgOf(f, force).id]);
      const pairs = formPairs(
        (await f.pages.admin.get(`/admin/users/${user.id}`)).text,
        `/admin/users/${user.id}`,
      ).filter(([k]) => k !== '_csrf' && k !== 'name');
      return { path: `/admin/users/${user.id}`, fields: [...pairs, ['name', `Renamed ${unique()}`]] };
    },
  },
  {
    // The lead inspector's or an administrator's; someone scoped away from the force gets 404 first.
    form: 'POST /inspections/:id/dates',
    expected: {
      admin: same(303),
      managerAll: same(403),
      managerA: [403, 404],
      lead: same(303),
      inspector: same(403),
      liaisonA: [403, 404],
    },
    changes: ['inspections', 'audit_events'],
    async post(f, _a, force) {
      const inspection = await f.api.createInspection(f.api.admin.token, {
        organisationId: orgOf(f, force).id,
        leadInspectorId: f.users.lead.id,
      });
      const fields = formFields(
        (await f.pages.admin.get(`/inspections/${inspection.id}/dates`)).text,
        `/inspections/${inspection.id}/dates`,
      );
      delete fields._csrf;
      return {
        path: `/inspections/${inspection.id}/dates`,
        fields: Object.entries({ ...fields, 'revisitDueAt-year': String(Number(fields['revisitDueAt-year']) + 1) }),
      };
    },
  },
  {
    // Publishing a draft: its lead inspector or an administrator; a draft is not there at all (404) for a force's own
    // people, and other inspectorate staff, who see it, may not publish it (403).
    form: 'POST /inspections/:id/publish',
    expected: {
      admin: same(303),
      managerAll: same(403),
      managerA: same(404),
      lead: same(303),
      inspector: same(403),
      liaisonA: same(404),
    },
    changes: ['inspections', 'recommendations', 'audit_events', 'notifications'],
    async post(f, _a, force) {
      const draft = await f.api.adminApi.post('/inspections', {
        organisationId: orgOf(f, force).id,
        leadInspectorId: f.users.lead.id,
        title: `Draft ${unique()}`,
        programme: 'PEEL',
        publishedAt: '2026-01-05T00:00:00Z',
        draft: true,
        recommendations: [{ reference: '1', text: 'Do it' }],
      });
      if (draft.status !== 201) throw new Error(`fixture draft: ${draft.status} ${JSON.stringify(draft.body)}`);
      return { path: `/inspections/${draft.body.id}/publish`, fields: [['version', String(draft.body.version)]] };
    },
  },
  actionForm(
    'submit_plan',
    'issued',
    [
      ['response', 'agreed'],
      ['owner', 'Owner'],
      ['actions', 'Act'],
      ['targetDate-day', '31'],
      ['targetDate-month', '1'],
      ['targetDate-year', '2030'],
    ],
    LIAISON_ACTION,
  ),
  actionForm('authorise_closure', 'closure_proposed', [['comment', 'Done']], LEAD_INSPECTOR_ACTION),
  {
    // Confirms the decision waiting in the poster's own session (the authorise_closure row goes through it); with
    // none waiting, as here, nothing is saved and the person is sent back to the recommendation; another force's
    // recommendation answers 404 as its page does.
    form: 'POST /recommendations/:id/confirm',
    expected: { ...everyone(303), managerA: [303, 404], liaisonA: [303, 404] },
    changes: [],
    async post(f, _a, force) {
      const rec = await freshRecommendation(f, force, 'closure_proposed');
      return { path: `/recommendations/${rec.id}/confirm`, fields: [] };
    },
  },
  {
    // Administrators and inspectors import, for any force; managers and liaison officers may not.
    form: 'POST /import',
    expected: {
      admin: same(303),
      managerAll: same(403),
      managerA: same(403),
      lead: same(303),
      inspector: same(303),
      liaisonA: same(403),
    },
    changes: ['inspections', 'recommendations', 'audit_events'],
    post: async (f, _a, force) => ({
      path: '/import',
      fields: [
        ['action', 'import'],
        ['organisationId', orgOf(f, force).id],
        ['title', `Imported ${unique()}`],
        ['programme', 'PEEL'],
        ['published-day', '5'],
        ['published-month', '1'],
        ['published-year', '2026'],
        ['leadInspectorId', f.users.lead.id],
        ['confirmOverdue', 'yes'],
      ],
      multipart: { field: 'csvFile', name: 'recommendations.csv', content: 'reference,text\n1,Do it\n' },
    }),
  },
  {
    // Ends the poster's session, so each cell signs out a stand-in of the actor's role; nothing in the database
    // changes.
    form: 'POST /sign-out',
    expected: everyone(303),
    changes: [],
    async post(f, actor) {
      const role =
        actor === 'admin'
          ? 'admin'
          : actor.startsWith('manager')
            ? 'manager'
            : actor === 'liaisonA'
              ? 'liaison'
              : 'inspector';
      const standIn = await f.api.createUser(role, actor === 'managerA' || actor === 'liaisonA' ? [f.orgA.id] : []);
      return {
        path: '/sign-out',
        fields: [],
        client: await signedInPages(f.api.baseUrl, standIn.email, TEST_PASSWORD),
      };
    },
  },
  ...WEBHOOK_ROWS,
];

/** Form posts the matrix leaves to other suites: signing in is how a session begins (test/browser/sign-in.test.ts). */
const ELSEWHERE = [
  'POST /sign-in',
  // Identity's own forms, each tested with its refusals in test/browser/identity.test.ts,
  // test/browser/two-factor.test.ts
  // and test/security/account-links.test.ts: signed out (one-time links, the second factor), or the signed-in
  // person's own account (no other person's or force's data to reach).
  'POST /forgotten-password',
  'POST /invitations/:token',
  'POST /reset-password/:token',
  'POST /sign-in/security-code',
  'POST /sign-in/two-factor',
  // The identity provider's back-channel logout (no session, no CSRF: a signed logout token is the credential);
  // its refusals are in test/security/single-sign-on.test.ts and its effect in test/e2e/single-sign-on.test.ts.
  'POST /sign-in/oidc/backchannel-logout',
  'POST /account/password',
  'POST /account/sessions/sign-out-others',
  // Turning two-factor sign-in on and off from /account needs codes from an authenticator: the person's own account
  // only, tested in test/browser/api-tokens.test.ts and test/security/dashboard.test.ts.
  'POST /account/two-factor/set-up',
  'POST /account/two-factor/turn-off',
  // Needs a person with two-factor sign-in on (a set-up in the browser); tested in test/browser/two-factor.test.ts.
  'POST /admin/users/:id/two-factor/reset',
  // Evidence files on the recommendation page: the same service calls as their API twins, whose every role × force
  // cell is in test/security/authorization-matrix.test.ts; the pages' refusals are in test/browser/evidence.test.ts.
  'POST /recommendations/:id/evidence/files',
  'POST /evidence/files/:id/withdraw',
];

/** A new personal API token of the client's person; its id. */
async function freshApiToken(client: ApiClient): Promise<string> {
  const made = await client.post('/users/me/api-tokens', { name: `Fixture ${unique()}`, scope: 'read-only' });
  if (made.status !== 201) throw new Error(`fixture API token: ${made.status} ${JSON.stringify(made.body)}`);
  return made.body.apiToken.id;
}

/** A person invited (no password yet) into the force, for a cell that resends or revokes their invitation. */
async function invitedUser(f: Fixture, force: Force): Promise<string> {
  const created = await f.api.adminApi.post('/users', {
    email: `invited-${unique()}@pages.test`,
    name: 'Invited',
    role: 'liaison',
    organisationIds: [orgOf(f, force).id],
  });
  if (created.status !== 201) throw new Error(`fixture user: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

const CELLS = matrixCells(MATRIX, (row) => row.form);

describe('authorization matrix of the web forms', () => {
  let fixture: Fixture;

  beforeAll(async () => {
    const world = await startAuthorizationWorld('Pages');
    const { api, users } = world;
    const signIn = (email: string, password: string) => signedInPages(api.baseUrl, email, password);
    const pages = {
      admin: await signIn(api.admin.email, api.admin.password),
      ...Object.fromEntries(
        await Promise.all(
          (['managerAll', 'managerA', 'lead', 'inspector', 'liaisonA'] as const).map(async (a) => [
            a,
            await signIn(users[a].email, TEST_PASSWORD),
          ]),
        ),
      ),
    } as Record<Actor, PageClient>;
    fixture = { ...world, pages };
  }, 60_000);

  afterAll(async () => {
    await fixture?.db.end();
    await fixture?.api.close();
  });

  it('covers every form POST the pages serve, and serves every one it covers', () => {
    const served = routeTable(WEB_CONTROLLERS)
      .filter((r) => r.method === 'POST')
      .map((r) => `POST ${r.path}`)
      .sort();
    const covered = [...new Set(MATRIX.map((row) => row.form.replace(/ \(.*\)$/, '')))].sort();
    expect(served.filter((r) => !covered.includes(r) && !ELSEWHERE.includes(r))).toEqual([]);
    expect(covered.filter((r) => !served.includes(r))).toEqual([]);
  });

  it.each(CELLS)('$name: $expected', async ({ row, actor, force, expected }) => {
    const post = await row.post(fixture, actor, force);
    const client = post.client ?? fixture.pages[actor];
    const csrf = await client.csrf('/account');
    const before = await tableChecksum(fixture.db);
    let response = await client.post(post.path, [['_csrf', csrf], ...post.fields], post.multipart);
    // A decision (authorise, return, close) is saved only once confirmed on its own page: confirm it as a person would.
    const confirmation = response.status === 303 ? response.headers.get('location') : null;
    if (confirmation?.endsWith('/confirm')) response = await client.post(confirmation, [['_csrf', csrf]]);
    const changed = changedTables(before, await tableChecksum(fixture.db));
    const problem =
      response.status === expected
        ? undefined
        : (/<h1[^>]*>([\s\S]*?)<\/h1>|govuk-error-summary__list">([\s\S]*?)<\/ul>/
            .exec(response.text)
            ?.slice(1)
            .join(' ') ?? response.text.slice(0, 300));
    expect({ status: response.status, problem }).toEqual({ status: expected, problem: undefined });
    if (expected >= 400) expect({ refused: changed }).toEqual({ refused: [] });
    else expect({ allowed: changed }).toEqual({ allowed: expect.arrayContaining([...row.changes]) });
  });
});
