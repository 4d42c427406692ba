// npm start's demo invitation: the link is read from the locally caught email the worker sent, and a new one replaces
// it on each start.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestingModule } from '@nestjs/testing';
import { demoInvitation } from '../../scripts/demo-invitation.js';
import { startMailCatcher, type MailCatcher } from '../../scripts/local-services.js';
import { TEST_REDIS_URL, startApi, type RunningApi } from '../support/api-harness.js';
import { startWorkerModule } from '../support/worker-module.js';

describe('the demo invitation link', () => {
  let api: RunningApi;
  let mail: MailCatcher;
  let worker: TestingModule;
  const dir = mkdtempSync(path.join(tmpdir(), 'demo-mail-'));

  beforeAll(async () => {
    mail = await startMailCatcher({ forcePrivate: true, dir, port: 0, log: () => {} });
    api = await startApi({ SMTP_URL: mail.url });
    worker = await startWorkerModule(
      {
        DATABASE_URL: api.dbUrl,
        REDIS_URL: TEST_REDIS_URL,
        SMTP_URL: mail.url,
        QUEUE_PREFIX: api.queuePrefix,
        APP_BASE_URL: api.baseUrl,
        MFA_REQUIRED_ROLES: 'none',
      },
      api.queuePrefix,
    );
    await api.createOrganisation({ name: 'Merseyside Police', code: 'MERSEYSIDE' });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await mail?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a working invitation link, a new one on every start', async () => {
    const first = await demoInvitation(api.baseUrl, api.admin.email, api.admin.password, dir);
    expect(first).toMatch(new RegExp(`^${api.baseUrl}/invitations/[A-Za-z0-9_-]{43}$`));
    const page = await fetch(first, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Choose your password');
    const second = await demoInvitation(api.baseUrl, api.admin.email, api.admin.password, dir);
    expect(second).not.toBe(first);
    expect((await fetch(first, { headers: { accept: 'text/html' } })).status).toBe(410);
    expect((await fetch(second, { headers: { accept: 'text/html' } })).status).toBe(200);
    expect(await demoInvitation(api.baseUrl, api.admin.email, api.admin.password, undefined)).toMatch(
      /no demo invitation link/,
    );
  });
});
