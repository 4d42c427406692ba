// The webhook pages in a real browser without JavaScript: add one (secret shown once), watch a delivery's attempts,
// send it again; a manager sees only their own; axe finds nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import type { Browser } from 'playwright-core';
import {
  agreedPlan,
  TEST_REDIS_URL,
  type RunningApi,
  type TestUser,
  type Organisation,
} from '../support/api-harness.js';
import { checkPage, closeApiAndBrowser, startApiAndBrowser } from '../support/browser.js';
import { waitUntil } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startWorkerModule } from '../support/worker-module.js';
import { signedIn, statusOf, tableRows } from './page-helpers.js';

const ENV = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_BACKOFF_MS: '200' };

describe('webhook pages (browser)', () => {
  let api: RunningApi, browser: Browser, worker: TestingModule, receiver: WebhookReceiver;
  let force: Organisation, manager: TestUser, liaison: TestUser, lead: TestUser;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    ({ api, browser } = await startApiAndBrowser(ENV));
    worker = await startWorkerModule(
      {
        ...ENV,
        DATABASE_URL: api.dbUrl,
        DB_POOL_SIZE: '3',
        REDIS_URL: TEST_REDIS_URL,
        RECONCILE_EVERY: 'PT1H',
        SMTP_URL: 'smtp://127.0.0.1:1',
      },
      api.queuePrefix,
    );
    force = await api.createOrganisation({ name: 'Cumbria Constabulary' });
    manager = await api.createUser('manager', [force.id]);
    liaison = await api.createUser('liaison', [force.id]);
    lead = await api.createUser('inspector');
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await closeApiAndBrowser(api, browser);
    await receiver?.close();
  });

  it('adds a webhook, shows its secret once, its delivery attempts, and sends a delivery again', async () => {
    receiver.on('/pages', (n) => (n === 0 ? { status: 503 } : { status: 200 }));
    const { context, page } = await signedIn(browser, api.baseUrl, api.admin.email, {
      password: api.admin.password,
      javaScript: false,
    });
    await page.goto('/admin');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await checkPage(page, 'webhooks-empty');
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    await checkPage(page, 'webhook-new');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect(page.locator('.govuk-error-summary').innerText()).resolves.toMatch(
      /Enter the address[\s\S]*Select at least one event/,
    );
    await checkPage(page, 'webhook-new-errors');
    await page.getByLabel('Address').fill(`${receiver.url}/pages`);
    await page.getByLabel('Recommendation moved on').check();
    await page.getByLabel('Cumbria Constabulary').check();
    await page.getByLabel('Slack incoming webhook').check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.locator('.app-secret').innerText();
    expect(secret).toMatch(/^whsec_/);
    await checkPage(page, 'webhook-created');
    await page.goto('/admin/webhooks');
    await expect(page.content()).resolves.not.toContain(secret);
    await page.getByRole('link', { name: `${receiver.url}/pages` }).click();
    await expect(page.content()).resolves.not.toContain(secret);

    const inspection = await api.createInspection(lead.token, { organisationId: force.id, leadInspectorId: lead.id });
    await liaison.api.post(
      `/recommendations/${inspection.recommendations[0].id}/transitions`,
      agreedPlan(inspection.recommendations[0].version),
    );
    await waitUntil(
      'delivered on the second try',
      () => receiver.received.filter((r) => r.path === '/pages').length >= 2,
      20_000,
    );
    await waitUntil(
      'recorded',
      async () => {
        await page.reload();
        return (await page.locator('.govuk-tag', { hasText: 'Delivered' }).count()) === 1;
      },
      10_000,
    );
    const rows = await tableRows(page);
    expect(rows[0][0]).toBe('Recommendation moved on (plan, progress, closure, decisions)');
    expect(rows[0][3]).toMatch(/503, \d+ ms, Will try again[\s\S]*200, \d+ ms, Delivered/);
    expect(rows.flat().join(' ')).not.toMatch(
      /\d{4}-\d{2}-\d{2}T|recommendation\.transitioned|[0-9a-f]{8}-[0-9a-f]{4}-/,
    );
    await checkPage(page, 'webhook-deliveries');
    await page.getByRole('button', { name: /Send again/ }).click();
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain(
      'The delivery will be sent again',
    );
    await waitUntil('sent again', () => receiver.received.filter((r) => r.path === '/pages').length >= 3, 20_000);
    await context.close();
  }, 90_000);

  it("lets a manager manage their own force's webhooks, and no one else's", async () => {
    const { context, page } = await signedIn(browser, api.baseUrl, manager.email, { javaScript: false });
    expect(await statusOf(page, '/admin/webhooks')).toBe(200);
    await expect(page.locator('table').count()).resolves.toBe(0);
    const others = (await api.adminApi.get('/webhooks')).body.items;
    expect(await statusOf(page, `/admin/webhooks/${others[0].id}`)).toBe(404);
    await page.goto('/admin/webhooks/new');
    await expect(page.getByLabel('Cumbria Constabulary').count()).resolves.toBe(1);
    await checkPage(page, 'webhook-new-manager');
    const { context: liaisonContext, page: liaisonPage } = await signedIn(browser, api.baseUrl, liaison.email, {
      javaScript: false,
    });
    expect(await statusOf(liaisonPage, '/admin/webhooks')).toBe(403);
    await liaisonContext.close();
    await context.close();
  }, 60_000);
});
