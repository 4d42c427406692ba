// The OpenAPI document as a client meets it: the running API serves exactly docs/openapi.json, the committed
// client types are what openapi-typescript makes of it, and every operation answers as documented when called
// through a client typed by them (openapi-fetch), against the real API on PostgreSQL (a real worker delivers webhooks).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import type { components, paths } from '../support/api-schema.js';
import { TEST_PASSWORD, TEST_REDIS_URL, startApi, type RunningApi } from '../support/api-harness.js';
import { pdf } from '../support/evidence-files.js';
import { answerProblems } from '../support/openapi-answers.js';
import { readZip } from '../support/read-zip.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';
import { waitFor } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startWorkerModule } from '../support/worker-module.js';

const DOCUMENT_FILE = new URL('../../docs/openapi.json', import.meta.url);
const TYPES_FILE = new URL('../support/api-schema.d.ts', import.meta.url);
const REGENERATE = 'run `npm run openapi` and commit docs/openapi.json and test/support/api-schema.d.ts';

/** JSON where an operation offers JSON or text; the text answers are read with `parseAs: 'text'`. */
type ApiClient = Client<paths, 'application/json'>;
type ErrorBody = components['schemas']['ErrorResponse'];

/** The committed document's operations, as `METHOD /path/{param}`. */
function documentedOperations(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** The answer's body when it has the expected status; otherwise a failure naming the operation and what came back. */
async function expectStatus<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  status: number,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.status !== status)
    throw new Error(`${response.url}: expected ${status}, got ${response.status}: ${JSON.stringify(error)}`);
  return data as T;
}

/** The error answer's body when it has the expected status. */
async function expectError(call: Promise<{ error?: unknown; response: Response }>, status: number): Promise<ErrorBody> {
  const { error, response } = await call;
  expect(response.status).toBe(status);
  return error as ErrorBody;
}

describe('the OpenAPI document and a client generated from it', () => {
  const committed = JSON.parse(readFileSync(DOCUMENT_FILE, 'utf8'));
  // A real worker (with a loopback webhook receiver and SMTP server) finishes a webhook delivery, so "send again" has
  // one to send.
  let api: RunningApi, worker: TestingModule, receiver: WebhookReceiver, catcher: SmtpCatcher, folder: string;
  /** Every operation the typed clients called, as `METHOD /path/{param}`. */
  const called = new Set<string>();
  /** Answers whose status the document does not list for their operation. */
  const undocumented: string[] = [];
  const recordCalls: Middleware = {
    onRequest({ request, schemaPath }) {
      called.add(`${request.method} ${schemaPath}`);
    },
    async onResponse({ request, schemaPath, response }) {
      const answers: Record<string, unknown> =
        committed.paths[schemaPath]?.[request.method.toLowerCase()]?.responses ?? {};
      if (!(String(response.status) in answers))
        undocumented.push(`${request.method} ${schemaPath} answered ${response.status}`);
      // The body too, against the operation's schema for that status and media type.
      const type = response.headers.get('content-type');
      const body = type?.includes('json') ? await response.clone().json() : undefined;
      undocumented.push(...answerProblems(request.method, new URL(request.url).pathname, response.status, type, body));
    },
  };
  const clientFor = (token?: string): ApiClient => {
    const client = createClient<paths, 'application/json'>({
      baseUrl: api.baseUrl,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    client.use(recordCalls);
    return client;
  };

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'openapi-evidence-'));
    [receiver, catcher] = await Promise.all([startWebhookReceiver(), startSmtpCatcher()]);
    const env = { EVIDENCE_STORE: `file://${folder}`, EVIDENCE_SCAN: 'off', WEBHOOK_ALLOW_PRIVATE: 'true' };
    api = await startApi(env);
    worker = await startWorkerModule(
      { ...env, DATABASE_URL: api.dbUrl, DB_POOL_SIZE: '4', REDIS_URL: TEST_REDIS_URL, SMTP_URL: catcher.url },
      api.queuePrefix,
    );
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await Promise.all([receiver?.close(), catcher?.close(), folder && rm(folder, { recursive: true, force: true })]);
  });

  it(`is the document the running API serves (otherwise ${REGENERATE})`, async () => {
    const served = await fetch(`${api.baseUrl}/docs-json`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual(committed);
  });

  it(`is what the committed client types were generated from (otherwise ${REGENERATE})`, async () => {
    const generated = COMMENT_HEADER + astToString(await openapiTS(committed));
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(generated);
  });

  it('answers every operation with a status its document lists, through the typed client', async () => {
    const anonymous = clientFor();
    const signIn = await expectStatus(
      anonymous.POST('/auth/login', { body: { email: api.admin.email, password: api.admin.password } }),
      200,
    );
    expect(signIn.user.role).toBe('admin');
    const admin = clientFor(signIn.accessToken);

    // Organisations and people.
    const code = `OAS${Date.now().toString(36)}`.toUpperCase();
    const org = await expectStatus(admin.POST('/organisations', { body: { name: 'OpenAPI Police', code } }), 201);
    expect(
      (await expectStatus(admin.GET('/organisations', { params: { query: { limit: 500 } } }), 200)).items.map(
        (o) => o.id,
      ),
    ).toContain(org.id);
    expect((await expectStatus(admin.GET('/organisations/{id}', { params: { path: { id: org.id } } }), 200)).code).toBe(
      code,
    );
    const lead = await expectStatus(
      admin.POST('/users', {
        body: {
          email: `lead-${code}@e2e.test`.toLowerCase(),
          name: 'Lead',
          password: TEST_PASSWORD,
          role: 'inspector',
          organisationIds: [],
        },
      }),
      201,
    );
    const renamed = await expectStatus(
      admin.PATCH('/users/{id}', {
        params: { path: { id: lead.id } },
        body: { version: lead.version, name: 'Lead Inspector' },
      }),
      200,
    );
    expect(renamed.name).toBe('Lead Inspector');
    expect(
      (await expectStatus(admin.GET('/users', { params: { query: { limit: 500 } } }), 200)).items.map((u) => u.id),
    ).toContain(lead.id);
    const me = await expectStatus(admin.GET('/users/me'), 200);
    const digest = await expectStatus(
      admin.PATCH('/users/me', { body: { version: me.version, reminderDelivery: 'daily_digest' } }),
      200,
    );
    expect(digest.reminderDelivery).toBe('daily_digest');
    const feed = await expectStatus(admin.POST('/users/me/calendar-token'), 201);
    const ics = await expectStatus(
      anonymous.GET('/calendar/{file}', { params: { path: { file: `${feed.token}.ics` } }, parseAs: 'text' }),
      200,
    );
    expect(ics).toContain('BEGIN:VCALENDAR');
    await expectStatus(anonymous.POST('/auth/forgotten-password', { body: { email: lead.email } }), 202);

    // Invitations: a person created without a password is invited; invited again; the invitation revoked.
    const invitee = await expectStatus(
      admin.POST('/users', {
        body: {
          email: `invitee-${code}@e2e.test`.toLowerCase(),
          name: 'Invitee',
          role: 'inspector',
          organisationIds: [],
        },
      }),
      201,
    );
    await expectStatus(admin.POST('/users/{id}/invitation', { params: { path: { id: invitee.id } } }), 202);
    await expectStatus(admin.DELETE('/users/{id}/invitation', { params: { path: { id: invitee.id } } }), 204);
    expect(
      (await expectError(admin.DELETE('/users/{id}/invitation', { params: { path: { id: invitee.id } } }), 409)).code,
    ).toBe('CONFLICT');

    // Personal API tokens: roles allowed them, one made (shown once), listed, used as a bearer, revoked by its owner
    // and by an administrator.
    const tokenSettings = await expectStatus(admin.GET('/api-token-settings'), 200);
    const allowed = await expectStatus(
      admin.PUT('/api-token-settings', {
        body: { allowedRoles: ['admin', 'inspector'], version: tokenSettings.version },
      }),
      200,
    );
    expect(allowed.allowedRoles).toEqual(['admin', 'inspector']);
    const made = await expectStatus(
      admin.POST('/users/me/api-tokens', {
        body: { name: 'OpenAPI client', scope: 'read-only', expiresOn: '2099-12-31' },
      }),
      201,
    );
    expect(made.token).toMatch(/^fut_/);
    expect((await expectStatus(admin.GET('/users/me/api-tokens'), 200)).items.map((t) => t.name)).toContain(
      'OpenAPI client',
    );
    const viaToken = clientFor(made.token);
    expect((await expectStatus(viaToken.GET('/users/me'), 200)).id).toBe(me.id);
    expect((await expectError(viaToken.POST('/users/me/calendar-token'), 403)).message).toContain('read-only');
    await expectStatus(
      admin.DELETE('/users/me/api-tokens/{tokenId}', { params: { path: { tokenId: made.apiToken.id } } }),
      204,
    );
    expect((await expectError(viaToken.GET('/users/me'), 401)).statusCode).toBe(401);
    const leadSignIn = await expectStatus(
      anonymous.POST('/auth/login', { body: { email: lead.email, password: TEST_PASSWORD } }),
      200,
    );
    const leadToken = await expectStatus(
      clientFor(leadSignIn.accessToken).POST('/users/me/api-tokens', {
        body: { name: 'Planning', scope: 'read-write' },
      }),
      201,
    );
    expect(
      (await expectStatus(admin.GET('/users/{id}/api-tokens', { params: { path: { id: lead.id } } }), 200)).items.map(
        (t) => t.scope,
      ),
    ).toEqual(['read-write']);
    await expectStatus(
      admin.DELETE('/users/{id}/api-tokens/{tokenId}', {
        params: { path: { id: lead.id, tokenId: leadToken.apiToken.id } },
      }),
      204,
    );

    // Follow-up policies.
    const programme = `OpenAPI ${code}`;
    await expectStatus(
      admin.POST('/follow-up-policies', { body: { programme, actionPlanAfter: 'P8W', revisitAfter: 'P6M' } }),
      201,
    );
    expect((await expectStatus(admin.GET('/follow-up-policies'), 200)).items.map((p) => p.programme)).toContain(
      programme,
    );

    // Webhooks: a subscription to the force's transitions, before the transition below.
    const hook = await expectStatus(
      admin.POST('/webhooks', {
        body: {
          url: `${receiver.url}/openapi`,
          events: ['recommendation.transitioned'],
          organisationIds: [org.id],
          format: 'standard',
        },
      }),
      201,
    );
    expect(hook.secret).toMatch(/^whsec_/);

    // Inspections, from JSON and from a CSV file.
    const fields = { organisationId: org.id, programme, publishedAt: '2018-08-30T00:00:00Z', leadInspectorId: lead.id };
    const inspection = await expectStatus(
      admin.POST('/inspections', {
        body: { ...fields, title: 'From JSON', recommendations: [{ reference: '1', text: 'Review custody' }] },
      }),
      201,
    );
    const imported = await expectStatus(
      admin.POST('/inspections/import', {
        params: { query: { ...fields, title: 'From CSV' } },
        body: 'reference,text\n1,Train every officer\n',
        bodySerializer: (csv) => csv,
        headers: { 'content-type': 'text/csv' },
      }),
      201,
    );
    expect(imported.recommendations.map((r) => r.reference)).toEqual(['1']);
    // An import is a draft (nothing planned) until it is published.
    expect(imported.draft).toBe(true);
    const published = await expectStatus(
      admin.POST('/inspections/{id}/publish', {
        params: { path: { id: imported.id } },
        body: { version: imported.version },
      }),
      200,
    );
    expect([published.draft, published.version]).toEqual([false, imported.version + 1]);
    const listed = await expectStatus(
      admin.GET('/inspections', { params: { query: { organisationId: org.id } } }),
      200,
    );
    expect(listed.items.map((i) => i.id)).toEqual(expect.arrayContaining([inspection.id, imported.id]));
    const current = await expectStatus(
      admin.GET('/inspections/{id}', { params: { path: { id: inspection.id } } }),
      200,
    );
    const retitled = await expectStatus(
      admin.PATCH('/inspections/{id}', {
        params: { path: { id: inspection.id } },
        body: { version: current.version, title: 'Renamed' },
      }),
      200,
    );
    expect(retitled.title).toBe('Renamed');
    const pack = await expectStatus(
      admin.GET('/inspections/{id}/readiness', { params: { path: { id: inspection.id } } }),
      200,
    );
    expect(pack.recommendations.map((r) => r.reference)).toEqual(['1']);

    // Recommendations: list, export, read, history, an action.
    const [recommendation] = (
      await expectStatus(admin.GET('/recommendations', { params: { query: { inspectionId: inspection.id } } }), 200)
    ).items;
    const csv = await expectStatus(
      admin.GET('/recommendations.csv', { params: { query: { inspectionId: inspection.id } }, parseAs: 'text' }),
      200,
    );
    expect(csv).toContain('Review custody');
    expect(
      (await expectStatus(admin.GET('/recommendations/{id}', { params: { path: { id: recommendation.id } } }), 200))
        .history.length,
    ).toBeGreaterThan(0);
    expect(
      (
        await expectStatus(
          admin.GET('/recommendations/{id}/history', { params: { path: { id: recommendation.id } } }),
          200,
        )
      ).items.length,
    ).toBeGreaterThan(0);
    const closed = await expectStatus(
      admin.POST('/recommendations/{id}/transitions', {
        params: { path: { id: recommendation.id } },
        body: {
          action: 'close',
          version: recommendation.version,
          outcome: 'not_implemented',
          comment: 'Overtaken by events',
        },
      }),
      200,
    );
    expect([closed.status, closed.outcome]).toEqual(['closed', 'not_implemented']);

    // The worker delivers the transition; the subscription is read, re-enabled, its secret rotated, its delivery sent
    // again.
    const hookPath = { params: { path: { id: hook.id } } };
    const [delivery] = await waitFor('the transition delivered', async () => {
      const { items } = await expectStatus(admin.GET('/webhooks/{id}/deliveries', hookPath), 200);
      return items[0]?.status === 'delivered' ? items : undefined;
    });
    expect((await expectStatus(admin.GET('/webhooks'), 200)).items.map((w) => w.id)).toContain(hook.id);
    expect((await expectStatus(admin.GET('/webhooks/{id}', hookPath), 200)).organisationIds).toEqual([org.id]);
    expect((await expectStatus(admin.POST('/webhooks/{id}/enable', hookPath), 200)).status).toBe('active');
    const rotated = await expectStatus(
      admin.POST('/webhooks/{id}/rotate-secret', { ...hookPath, body: { overlap: 'PT1H' } }),
      200,
    );
    expect(rotated.secret).not.toBe(hook.secret);
    await expectStatus(
      admin.POST('/webhooks/{id}/deliveries/{deliveryId}/resend', {
        params: { path: { id: hook.id, deliveryId: delivery.id } },
      }),
      202,
    );
    await expectStatus(admin.DELETE('/webhooks/{id}', hookPath), 204);

    // Evidence files on the CSV inspection's open recommendation: uploaded by the force's liaison officer, read,
    // downloaded, zipped, withdrawn; the JSON inspection held and released.
    const liaisonUser = await api.createUser('liaison', [org.id]);
    const liaison = clientFor(liaisonUser.token);
    const open = { params: { path: { id: imported.recommendations[0].id } } };
    const [file] = await expectStatus(
      liaison.POST('/recommendations/{id}/evidence/files', {
        ...open,
        // The schema types each multipart part as a string (format: binary): the body names the files and the
        // serializer sends them as FormData (openapi-fetch then leaves the multipart content type to fetch).
        body: { file: ['minutes.pdf'] },
        bodySerializer: ({ file: names = [] }) => {
          const form = new FormData();
          for (const name of names)
            form.append('file', new Blob([new Uint8Array(pdf(name))], { type: 'application/pdf' }), name);
          return form;
        },
      }),
      202,
    );
    expect([file.name, file.type, file.scan, file.downloadable]).toEqual([
      'minutes.pdf',
      'application/pdf',
      'unscanned',
      true,
    ]);
    expect(
      (await expectStatus(liaison.GET('/recommendations/{id}/evidence/files', open), 200)).map((f) => f.id),
    ).toEqual([file.id]);
    const filePath = { params: { path: { id: file.id } } };
    expect((await expectStatus(admin.GET('/evidence/files/{id}', filePath), 200)).sha256).toBe(file.sha256);
    const bytes = await expectStatus(
      admin.GET('/evidence/files/{id}/content', { ...filePath, parseAs: 'arrayBuffer' }),
      200,
    );
    expect(Buffer.from(bytes).equals(pdf('minutes.pdf'))).toBe(true);
    const zip = await expectStatus(
      admin.GET('/inspections/{id}/evidence.zip', { params: { path: { id: imported.id } }, parseAs: 'arrayBuffer' }),
      200,
    );
    const entries = readZip(Buffer.from(zip));
    expect(entries.has('index.csv')).toBe(true);
    expect([...entries.values()].some((entry) => entry.equals(pdf('minutes.pdf')))).toBe(true);
    const withdrawn = await expectStatus(liaison.POST('/evidence/files/{id}/withdraw', filePath), 200);
    expect([withdrawn.downloadable, typeof withdrawn.withdrawnAt]).toEqual([false, 'string']);
    const held = { params: { path: { id: inspection.id } } };
    const hold = await expectStatus(
      admin.PUT('/inspections/{id}/legal-hold', { ...held, body: { reason: 'Public inquiry' } }),
      200,
    );
    expect([hold.inspectionId, hold.reason, hold.placedBy]).toEqual([inspection.id, 'Public inquiry', signIn.user.id]);
    await expectStatus(admin.DELETE('/inspections/{id}/legal-hold', held), 204);

    // Oversight and records.
    expect(
      (
        await expectStatus(
          admin.GET('/notifications', { params: { query: { recommendationId: imported.recommendations[0].id } } }),
          200,
        )
      ).items.length,
    ).toBeGreaterThan(0);
    expect(
      (await expectStatus(admin.GET('/dashboard', { params: { query: { organisationId: org.id } } }), 200)).totals
        .closed,
    ).toBe(1);
    expect((await expectStatus(anonymous.GET('/register'), 200)).items.map((f) => f.code)).toContain(code);
    const register = await anonymous.GET('/register/{code}.json', { params: { path: { code } } });
    expect(register.response.status).toBe(200);
    expect(register.data?.organisation.code).toBe(code);
    const etag = register.response.headers.get('etag') ?? '';
    const unchanged = await anonymous.GET('/register/{code}.json', {
      params: { path: { code } },
      headers: { 'if-none-match': etag },
    });
    expect(unchanged.response.status).toBe(304);
    expect(
      await expectStatus(anonymous.GET('/register/{code}.csv', { params: { path: { code } }, parseAs: 'text' }), 200),
    ).toContain('Review custody');
    expect((await expectStatus(anonymous.GET('/health'), 200)).checks).toEqual({ database: 'up', redis: 'up' });
    expect((await expectStatus(admin.GET('/audit/checkpoint'), 200)).algorithm).toBe('Ed25519');
    expect((await expectStatus(admin.GET('/work'), 200)).groups.map((g) => g.id)).toEqual([
      'overdue',
      'no_recent_progress',
    ]);

    // The error answers carry the contract's error shape.
    const missing = await expectError(
      admin.GET('/organisations/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } }),
      404,
    );
    expect([missing.statusCode, missing.code]).toEqual([404, 'NOT_FOUND']);
    const invalid = await expectError(admin.POST('/organisations', { body: { name: '', code: '' } }), 400);
    expect(invalid.message).toEqual(expect.arrayContaining(['name is required', 'code is required']));
    expect((await expectError(anonymous.GET('/users/me'), 401)).statusCode).toBe(401);
    expect((await expectError(liaison.GET('/users'), 403)).statusCode).toBe(403);

    // Signing out ends the token: last, as it ends the administrator's.
    await expectStatus(admin.POST('/auth/logout'), 204);
    expect((await expectError(admin.GET('/users/me'), 401)).statusCode).toBe(401);

    expect([...called].sort()).toEqual(documentedOperations(committed).sort());
    expect(undocumented).toEqual([]);
  });
});
