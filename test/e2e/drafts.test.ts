// Draft inspections end to end: an imported inspection stays a draft (inspectorate staff only, nothing planned, sent or
// announced) until it is published; publishing plans its notifications exactly once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_PASSWORD, type RunningApi, type TestUser } from '../support/api-harness.js';
import { withClient } from '../support/database.js';
import { signedInPages, type PageClient } from '../support/page-client.js';
import type { SmtpCatcher } from '../support/smtp-catcher.js';
import { waitFor, waitUntil } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startApiWithWorker, type ApiWithWorker } from '../support/worker-module.js';

const SECOND = 1000;
const ENV = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  DIGEST_WINDOW: 'PT0.5S',
  SEND_WINDOW: 'always',
  APP_BASE_URL: 'https://tracker.example',
};
/** Words found only in the draft, so that any leak of it shows. */
const MARK = 'Quillwort';
const LEAKS = ['NCPI draft', 'every child detained', 'visits to registered sex offenders'];
const CSV = `reference,text,timeframe\n1,${MARK} custody review of every child detained,immediately\n2,${MARK} visits to registered sex offenders,3 months\n`;

describe('draft inspections (end to end)', () => {
  let world: ApiWithWorker, api: RunningApi, catcher: SmtpCatcher;
  let receiver: WebhookReceiver;
  let force: any,
    lead: TestUser,
    otherInspector: TestUser,
    liaison: TestUser,
    forceManager: TestUser,
    inspectorateManager: TestUser;
  let liaisonPages: PageClient, adminPages: PageClient, hook: { id: string };
  let draft: any;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    world = await startApiWithWorker(ENV, () => ({ DB_POOL_SIZE: '4', RECONCILE_EVERY: 'PT1H' }), ['error', 'warn']);
    ({ api, catcher } = world);
    force = await api.createOrganisation({ name: 'Merseyside Police' });
    [lead, otherInspector, liaison, forceManager, inspectorateManager] = await Promise.all([
      api.createUser('inspector'),
      api.createUser('inspector'),
      api.createUser('liaison', [force.id]),
      api.createUser('manager', [force.id]),
      api.createUser('manager', [], { allOrganisations: true }),
    ]);
    hook = (
      await api.adminApi.post('/webhooks', {
        url: `${receiver.url}/all`,
        events: ['inspection.published', 'recommendation.created', 'inspection.dates_changed'],
      })
    ).body;
    [liaisonPages, adminPages] = await Promise.all([
      signedInPages(api.baseUrl, liaison.email, TEST_PASSWORD),
      signedInPages(api.baseUrl, api.admin.email, api.admin.password),
    ]);
    const query = new URLSearchParams({
      organisationId: force.id,
      title: `${MARK} NCPI draft`,
      programme: 'NCPI',
      publishedAt: '2018-08-30T00:00:00Z',
      leadInspectorId: lead.id,
    });
    const imported = await lead.api.raw('POST', `/inspections/import?${query}`, CSV, 'text/csv');
    expect(imported.status).toBe(201);
    draft = imported.body;
  }, 60 * SECOND);

  afterAll(async () => {
    await world?.close();
    await receiver?.close();
  });

  const recIds = () => draft.recommendations.map((r: any) => r.id as string);
  const ledgerRows = async () =>
    (
      await Promise.all(
        recIds().map(
          async (id: string) => (await api.adminApi.get(`/notifications?recommendationId=${id}&limit=500`)).body.items,
        ),
      )
    ).flat();
  const deliveries = async () =>
    (await api.adminApi.get(`/webhooks/${hook.id}/deliveries`)).body.items.filter(
      (d: any) => JSON.stringify(d).includes(draft.id) || recIds().some((id: string) => JSON.stringify(d).includes(id)),
    );
  const aboutDraft = () =>
    catcher.messages.filter((m) => (m.text ?? '').includes(MARK) || (m.subject ?? '').includes(MARK));
  const registerText = async () =>
    (await (await fetch(`${api.baseUrl}/register/${force.code}.json`)).text()) +
    (await (await fetch(`${api.baseUrl}/register/${force.code}`, { headers: { accept: 'text/html' } })).text());

  it(
    'an import is a draft that only inspectorate staff see; the force finds it nowhere',
    async () => {
      expect(draft).toMatchObject({ draft: true, version: 1 });
      expect(draft.recommendations.map((r: any) => [r.reference, r.draft, r.allowedActions])).toEqual([
        ['1', true, []],
        ['2', true, []],
      ]);
      // Inspectorate staff: the lead, another inspector, an administrator, a manager of every force.
      for (const user of [lead, otherInspector, inspectorateManager, { api: api.adminApi }]) {
        expect((await user.api.get(`/inspections/${draft.id}`)).status).toBe(200);
        expect(
          (await user.api.get(`/inspections?organisationId=${force.id}`)).body.items.map((i: any) => i.id),
        ).toContain(draft.id);
        expect((await user.api.get(`/recommendations?inspectionId=${draft.id}`)).body.items).toHaveLength(2);
      }
      const search = await adminPages.get(`/search?q=${MARK}`);
      expect(search.text).toContain(`${MARK} NCPI draft`);

      // The force's people: a liaison officer and the force's own manager.
      for (const user of [liaison, forceManager]) {
        expect((await user.api.get(`/inspections/${draft.id}`)).status).toBe(404);
        expect(
          (await user.api.get(`/inspections?organisationId=${force.id}&limit=500`)).body.items.map((i: any) => i.id),
        ).not.toContain(draft.id);
        expect(
          (await user.api.get(`/recommendations?organisationId=${force.id}&limit=500`)).body.items.filter(
            (r: any) => r.inspectionId === draft.id,
          ),
        ).toEqual([]);
        for (const id of recIds()) {
          expect((await user.api.get(`/recommendations/${id}`)).status).toBe(404);
          expect((await user.api.get(`/recommendations/${id}/history`)).status).toBe(404);
        }
        expect((await user.api.get(`/inspections/${draft.id}/readiness`)).status).toBe(404);
      }
      expect((await liaison.api.get('/work')).body.total).toBe(0);
      for (const path of [
        '/',
        `/search?q=${MARK}`,
        '/inspections',
        `/inspections/${draft.id}`,
        `/recommendations/${recIds()[0]}`,
        '/inspections.csv',
      ]) {
        const page = await liaisonPages.get(path);
        // The search page repeats the words asked for: what must not appear is the draft's title and text.
        expect({ path, leaked: LEAKS.filter((words) => page.text.includes(words)) }).toEqual({ path, leaked: [] });
      }
      expect((await liaisonPages.get(`/inspections/${draft.id}`)).status).toBe(404);
      const feed = await liaison.api.post('/users/me/calendar-token');
      const calendar = await (await fetch(`${api.baseUrl}/calendar/${feed.body.token}.ics`)).text();
      expect(calendar).toContain('BEGIN:VCALENDAR');
      expect(calendar).not.toContain(MARK);
      expect(await registerText()).not.toContain(MARK);
    },
    60 * SECOND,
  );

  it(
    'plans, sends and announces nothing while a draft, not even when its dates change; no workflow on it',
    async () => {
      // The register's and the force's calendar feed's validators stay as they were: nothing public changed.
      const registerTag = async () => (await fetch(`${api.baseUrl}/register/${force.code}.json`)).headers.get('etag');
      const feedPath = `/calendar/${(await liaison.api.post('/users/me/calendar-token')).body.token}.ics`;
      const feedTag = async () => (await fetch(`${api.baseUrl}${feedPath}`)).headers.get('etag');
      const [registerBefore, feedBefore] = [await registerTag(), await feedTag()];
      const moved = await lead.api.patch(`/inspections/${draft.id}`, {
        version: draft.version,
        publishedAt: '2018-09-03T00:00:00Z',
      });
      expect(moved.status).toBe(200);
      draft = moved.body;
      expect(draft).toMatchObject({ draft: true, version: 2 });
      const plan = await lead.api.post(`/recommendations/${recIds()[0]}/transitions`, {
        action: 'close',
        version: draft.recommendations[0].version,
        outcome: 'superseded',
        comment: 'x',
      });
      expect(plan.status).toBe(409);
      expect(plan.body.message).toContain('draft');
      expect([await registerTag(), await feedTag()]).toEqual([registerBefore, feedBefore]);
      expect(registerBefore).toBeTruthy();
      await new Promise((r) => setTimeout(r, 3 * SECOND));
      expect(await ledgerRows()).toEqual([]);
      expect(await deliveries()).toEqual([]);
      expect(receiver.received.filter((r) => r.body.includes(draft.id))).toEqual([]);
      expect(aboutDraft()).toEqual([]);
    },
    30 * SECOND,
  );

  it('refuses a publish by anyone but its lead inspector or an administrator, changing nothing', async () => {
    // The force's people may never publish (403 by role, as every inspectorate action answers them).
    expect((await liaison.api.post(`/inspections/${draft.id}/publish`, { version: draft.version })).status).toBe(403);
    expect((await forceManager.api.post(`/inspections/${draft.id}/publish`, { version: draft.version })).status).toBe(
      403,
    );
    expect((await otherInspector.api.post(`/inspections/${draft.id}/publish`, { version: draft.version })).status).toBe(
      403,
    );
    expect(
      (await inspectorateManager.api.post(`/inspections/${draft.id}/publish`, { version: draft.version })).status,
    ).toBe(403);
    const stale = await lead.api.post(`/inspections/${draft.id}/publish`, { version: draft.version - 1 });
    expect(stale.status).toBe(409);
    const bad = await lead.api.post(`/inspections/${draft.id}/publish`, { version: 'two' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(['version must be a whole number']);
    // The web form: a stale version shows the confirmation again with the problem (409); a tampered one is refused.
    const leadPages = await signedInPages(api.baseUrl, lead.email, TEST_PASSWORD);
    const confirmation = await leadPages.get(`/inspections/${draft.id}/publish`);
    expect(confirmation.status).toBe(200);
    expect(confirmation.text).toContain('Confirm and publish');
    const csrf = await leadPages.csrf(`/inspections/${draft.id}/publish`);
    const stalePage = await leadPages.post(`/inspections/${draft.id}/publish`, {
      _csrf: csrf,
      version: String(draft.version - 1),
    });
    expect(stalePage.status).toBe(409);
    expect(stalePage.text).toContain('Someone else changed this inspection while you were looking at it');
    expect((await leadPages.post(`/inspections/${draft.id}/publish`, { _csrf: csrf, version: 'two' })).status).toBe(
      404,
    );
    expect((await liaisonPages.get(`/inspections/${draft.id}/publish`)).status).toBe(404);
    const after = (await api.adminApi.get(`/inspections/${draft.id}`)).body;
    expect(after).toMatchObject({ draft: true, version: draft.version, updatedAt: draft.updatedAt });
    expect(await ledgerRows()).toEqual([]);
    expect((await liaison.api.get(`/inspections/${draft.id}`)).status).toBe(404);
  });

  it(
    'publishing plans, sends and announces once: two publishes at once give one 200 and one 409',
    async () => {
      const [a, b] = await Promise.all([
        lead.api.post(`/inspections/${draft.id}/publish`, { version: draft.version }),
        api.adminApi.post(`/inspections/${draft.id}/publish`, { version: draft.version }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const published = [a, b].find((r) => r.status === 200)!.body;
      expect(published).toMatchObject({ id: draft.id, draft: false, version: draft.version + 1 });
      expect(published.recommendations.map((r: any) => r.draft)).toEqual([false, false]);
      const liaisonView = (await liaison.api.get(`/inspections/${draft.id}`)).body;
      expect(liaisonView.recommendations.map((r: any) => r.allowedActions)).toEqual([['submit_plan'], ['submit_plan']]);

      // Planned once, in the publish's transaction; sent (its deadlines passed long ago: overdue notices) once.
      const planned = await ledgerRows();
      expect(planned.length).toBeGreaterThan(0);
      expect(planned.filter((n: any) => n.kind === 'overdue').length).toBeGreaterThan(0);
      const again = await lead.api.post(`/inspections/${draft.id}/publish`, { version: published.version });
      expect(again.status).toBe(409);
      expect(again.body.message).toBe('the inspection is already published');
      expect((await ledgerRows()).map((n: any) => n.id).sort()).toEqual(planned.map((n: any) => n.id).sort());
      await catcher.waitFor(
        () => aboutDraft().some((m) => m.kind === 'overdue' && m.envelope.to.includes(liaison.email)),
        30 * SECOND,
      );
      await waitUntil(
        'the webhook deliveries',
        () => receiver.received.filter((r) => r.body.includes(draft.id)).length >= 3,
        20 * SECOND,
      );
      await new Promise((r) => setTimeout(r, 2 * SECOND));
      const events = receiver
        .unique()
        .filter((r) => r.body.includes(draft.id))
        .map((r) => JSON.parse(r.body).type)
        .sort();
      expect(events).toEqual(['inspection.published', 'recommendation.created', 'recommendation.created']);
      const toLiaison = aboutDraft().filter((m) => m.kind === 'overdue' && m.envelope.to.includes(liaison.email));
      expect(new Set(toLiaison.map((m) => m.messageId)).size).toBe(toLiaison.length);

      // The audit event, and the force now finds it everywhere.
      const audit = await withClient(api.dbUrl, (c) =>
        c.query(
          `SELECT action, actor_id FROM audit_events WHERE entity_type = 'inspection' AND entity_id = $1 ORDER BY seq`,
          [draft.id],
        ),
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'inspection.created',
        'inspection.updated',
        'inspection.published',
      ]);
      expect((await liaison.api.get(`/recommendations/${recIds()[0]}`)).status).toBe(200);
      expect((await liaison.api.get('/work')).body.total).toBe(2);
      expect((await liaisonPages.get(`/search?q=${MARK}`)).text).toContain(LEAKS[1]);
      expect((await liaisonPages.get('/')).text).toContain(LEAKS[1]);
      const feed = await liaison.api.post('/users/me/calendar-token');
      expect(await (await fetch(`${api.baseUrl}/calendar/${feed.body.token}.ics`)).text()).toContain(MARK);
      expect(await registerText()).toContain(MARK);
      await waitFor(
        'the ledger sent',
        async () => ((await ledgerRows()).some((n: any) => n.status === 'sent') ? true : undefined),
        20 * SECOND,
      );
    },
    90 * SECOND,
  );

  it('JSON POST /inspections still publishes at once (the contract), unless it asks for a draft', async () => {
    const published = await api.createInspection(lead.token, {
      organisationId: force.id,
      leadInspectorId: lead.id,
      recommendations: [{ reference: '1', text: 'Published at once' }],
    });
    expect(published.draft).toBe(false);
    expect((await liaison.api.get(`/inspections/${published.id}`)).status).toBe(200);
    const asked = await lead.api.post('/inspections', {
      organisationId: force.id,
      leadInspectorId: lead.id,
      title: 'Asked for a draft',
      programme: 'PEEL',
      publishedAt: '2026-01-05T00:00:00Z',
      draft: true,
      recommendations: [{ reference: '1', text: 'Drafted' }],
    });
    expect(asked.status).toBe(201);
    expect(asked.body.draft).toBe(true);
    expect((await liaison.api.get(`/inspections/${asked.body.id}`)).status).toBe(404);
    const importedPublished = await lead.api.raw(
      'POST',
      `/inspections/import?${new URLSearchParams({ organisationId: force.id, title: 'Imported, published', programme: 'NCPI', publishedAt: '2026-01-05T00:00:00Z', leadInspectorId: lead.id, draft: 'false' })}`,
      'reference,text\n1,One\n',
      'text/csv',
    );
    expect(importedPublished.status).toBe(201);
    expect(importedPublished.body.draft).toBe(false);
  });
});
