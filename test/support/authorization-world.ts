// The actors, forces and fixtures both authorization matrices (API routes, web forms) share: two forces, a person of
// each kind, a database client for the table checksums, and personal API tokens allowed to every role.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startApi, type ApiClient, type RunningApi, type TestUser } from './api-harness.js';

/**
 * Who asks. `managerA` and `liaisonA` are scoped to force A; `managerAll` sees every force; `lead` leads
 * every inspection the matrix makes; `inspector` leads none of them.
 */
export const ACTORS = ['admin', 'managerAll', 'managerA', 'lead', 'inspector', 'liaisonA'] as const;
export type Actor = (typeof ACTORS)[number];
/** Force A's data ("own" for the scoped actors) or force B's ("other"). */
export type Force = 'own' | 'other';
/** The status each actor gets on its own force's data and on the other force's. */
export type Expected = Record<Actor, readonly [own: number, other: number]>;

export const same = (status: number): readonly [number, number] => [status, status];
/** Every actor alike. */
export const everyone = (own: number, other = own): Expected =>
  Object.fromEntries(ACTORS.map((a) => [a, [own, other]])) as unknown as Expected;

export const unique = () => randomBytes(4).toString('hex');

/** The API, both forces and everyone but the administrator (the API's own `admin`); force B has a liaison too. */
export interface AuthorizationWorld {
  api: RunningApi;
  db: pg.Client;
  orgA: any;
  orgB: any;
  users: Record<Exclude<Actor, 'admin'> | 'liaisonB', TestUser>;
}

/** Starts the API with `env`, makes forces "`name` Force A" and "B" and their people, and allows every role tokens. */
export async function startAuthorizationWorld(
  name: string,
  env: Record<string, string> = {},
): Promise<AuthorizationWorld> {
  const api = await startApi(env);
  const [orgA, orgB] = [
    await api.createOrganisation({ name: `${name} Force A` }),
    await api.createOrganisation({ name: `${name} Force B` }),
  ];
  const [managerAll, managerA, lead, inspector, liaisonA, liaisonB] = await Promise.all([
    api.createUser('manager', []),
    api.createUser('manager', [orgA.id]),
    api.createUser('inspector'),
    api.createUser('inspector'),
    api.createUser('liaison', [orgA.id]),
    api.createUser('liaison', [orgB.id]),
  ]);
  const db = new pg.Client({ connectionString: api.dbUrl });
  await db.connect();
  // Every role may have personal API tokens here, so their rows test the access rule alone.
  const allowed = await api.adminApi.request('PUT', '/api-token-settings', {
    allowedRoles: ['admin', 'manager', 'inspector', 'liaison'],
    version: 1,
  });
  if (allowed.status !== 200) throw new Error(`fixture API token settings: ${allowed.status}`);
  return { api, db, orgA, orgB, users: { managerAll, managerA, lead, inspector, liaisonA, liaisonB } };
}

export const orgOf = (f: AuthorizationWorld, force: Force) => (force === 'own' ? f.orgA : f.orgB);
export const liaisonFor = (f: AuthorizationWorld, force: Force) =>
  force === 'own' ? f.users.liaisonA : f.users.liaisonB;

/** A fresh inspection of one recommendation in the force, led by `lead`, moved to `state` over the API. */
export async function freshRecommendation(
  f: AuthorizationWorld,
  force: Force,
  state: 'issued' | 'planned' | 'closure_proposed' | 'closed' = 'issued',
): Promise<any> {
  const inspection = await f.api.createInspection(f.api.admin.token, {
    organisationId: orgOf(f, force).id,
    leadInspectorId: f.users.lead.id,
    recommendations: [{ reference: 'R1' }],
  });
  let rec = inspection.recommendations[0];
  const step = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post(`/recommendations/${rec.id}/transitions`, { ...body, version: rec.version });
    if (response.status !== 200)
      throw new Error(`fixture transition ${String(body.action)}: ${response.status} ${JSON.stringify(response.body)}`);
    rec = response.body;
  };
  if (state === 'issued') return rec;
  if (state === 'closed') {
    await step(f.api.adminApi, {
      action: 'close',
      outcome: 'superseded',
      comment: 'Replaced by a newer recommendation',
    });
    return rec;
  }
  await step(liaisonFor(f, force).api, {
    action: 'submit_plan',
    response: 'agreed',
    owner: 'Owner',
    actions: 'Act',
    targetDate: '2030-01-31',
  });
  if (state === 'closure_proposed')
    await step(liaisonFor(f, force).api, { action: 'propose_closure', evidence: [{ title: 'Report' }] });
  return rec;
}

/** One test case a row × actor × force, named "`label` as actor, force force", with the status it expects. */
export function matrixCells<R extends { expected: Expected }>(rows: readonly R[], label: (row: R) => string) {
  return rows.flatMap((row) =>
    ACTORS.flatMap((actor) =>
      (['own', 'other'] as const).map((force, i) => ({
        name: `${label(row)} as ${actor}, ${force} force`,
        row,
        actor,
        force,
        expected: row.expected[actor][i],
      })),
    ),
  );
}
