// GET /audit/checkpoint with a running worker: who may ask, the worker chaining transitions after commit, and audit:verify against the saved checkpoint.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import pg from 'pg';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { APP_CONFIG, DEVELOPMENT_AUDIT_KEY, loadConfig } from '../../config/index.js';
import { checkpointKeys, verifiedCheckpoint } from '../../libs/persistence/src/index.js';
import { SCHEDULING_OPTIONS } from '../../libs/scheduling/src/index.js';
import { verifyMain } from '../../scripts/verify-audit-chain.js';
import { startApi, TEST_REDIS_URL, type RunningApi, type TestUser } from '../support/api-harness.js';

describe('audit checkpoints', () => {
  let api: RunningApi;
  let worker: TestingModule;
  let liaison: TestUser;
  let manager: TestUser;
  let lead: TestUser;
  let inspection: any;

  beforeAll(async () => {
    api = await startApi();
    const org = await api.createOrganisation();
    [lead, liaison, manager] = await Promise.all([api.createUser('inspector'), api.createUser('liaison', [org.id]), api.createUser('manager', [])]);
    inspection = await api.createInspection(lead.token, { organisationId: org.id, leadInspectorId: lead.id, recommendations: [{ reference: 'K1' }, { reference: 'K2' }] });
    // The real worker, on the API's database and queues; the API and it share the (development) AUDIT_KEY.
    const config = loadConfig({ DATABASE_URL: api.dbUrl, DB_POOL_SIZE: '3', REDIS_URL: TEST_REDIS_URL, RECONCILE_EVERY: 'PT1H', SMTP_URL: 'smtp://127.0.0.1:1' });
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .overrideProvider(SCHEDULING_OPTIONS)
      .useValue({ prefix: api.queuePrefix })
      .compile();
    worker.useLogger(['error']);
    await worker.init();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  async function eventCount(): Promise<number> {
    const client = new pg.Client({ connectionString: api.dbUrl });
    await client.connect();
    try {
      return (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n;
    } finally {
      await client.end();
    }
  }

  /** Polls the checkpoint until it covers `position` events (the worker chains them after commit). */
  async function checkpointCovering(position: number, timeoutMs = 20_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await api.adminApi.get('/audit/checkpoint');
      expect(r.status).toBe(200);
      if (r.body.position >= position) return r.body;
      if (Date.now() > deadline) throw new Error(`the checkpoint stayed at position ${r.body.position}, expected ${position}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('answers 401 without a token and 403 to every role but admin', async () => {
    expect((await api.client(null).get('/audit/checkpoint')).status).toBe(401);
    for (const user of [manager, lead, liaison]) expect({ role: user.role, status: (await user.api.get('/audit/checkpoint')).status }).toEqual({ role: user.role, status: 403 });
  });

  it('covers a transition soon after it commits, signed so that the key verifies it', async () => {
    const rec = inspection.recommendations[0];
    const moved = await liaison.api.post(`/recommendations/${rec.id}/transitions`, {
      action: 'submit_plan',
      version: rec.version,
      response: 'agreed',
      owner: 'Owner',
      actions: 'Actions',
      targetDate: '2030-06-30',
    });
    expect(moved.status).toBe(200);
    const events = await eventCount();
    const checkpoint = await checkpointCovering(events);
    expect(checkpoint).toEqual({
      position: events,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      issuedAt: expect.any(String),
      algorithm: 'Ed25519',
      publicKey: checkpointKeys(DEVELOPMENT_AUDIT_KEY).publicKeyBase64,
      signature: expect.any(String),
    });
    expect(verifiedCheckpoint(checkpointKeys(DEVELOPMENT_AUDIT_KEY), checkpoint)).toEqual({ position: String(events), hash: checkpoint.hash });
  });

  it('is held by the chain later, and a cut-off tail is found against it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'checkpoint-')), 'checkpoint.json');
    const saved = await checkpointCovering(await eventCount());
    writeFileSync(file, JSON.stringify(saved));

    const rec = inspection.recommendations[1];
    const closed = await lead.api.post(`/recommendations/${rec.id}/transitions`, { action: 'close', version: rec.version, outcome: 'superseded', comment: 'Replaced' });
    expect(closed.status).toBe(200);
    const events = await eventCount();
    await checkpointCovering(events);

    const verify = async () => {
      const lines: string[] = [];
      const code = await verifyMain(api.dbUrl, { auditKey: DEVELOPMENT_AUDIT_KEY, checkpointFile: file, print: (l) => lines.push(l) });
      return { code, lines };
    };
    expect(await verify()).toEqual({ code: 0, lines: [`audit chain OK: ${events} events; holds the checkpoint at position ${saved.position}`] });

    // The owner removes everything from the checkpoint's position on, links and events, triggers off.
    const client = new pg.Client({ connectionString: api.dbUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL session_replication_role = replica`);
      await client.query(`DELETE FROM audit_events WHERE seq IN (SELECT event_seq FROM audit_chain WHERE position >= $1)`, [saved.position]);
      await client.query(`DELETE FROM audit_chain WHERE position >= $1`, [saved.position]);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    expect(await verify()).toEqual({
      code: 1,
      lines: [`audit chain BROKEN: it ends at position ${saved.position - 1}, before the checkpoint's position ${saved.position}: truncated`],
    });
  });
});
