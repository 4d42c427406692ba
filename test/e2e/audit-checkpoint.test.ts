// GET /audit/checkpoint with a running worker: who may ask, the worker chaining transitions after commit, and
// audit:verify against the saved checkpoint.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { DEVELOPMENT_AUDIT_KEY } from '../../config/index.js';
import { checkpointKeys, verifiedCheckpoint } from '../../libs/persistence/src/index.js';
import { verifyMain } from '../../scripts/verify-audit-chain.js';
import {
  agreedPlan,
  createForceWithInspection,
  startApi,
  TEST_REDIS_URL,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Schema,
} from '../support/api-harness.js';
import { tamper, withClient } from '../support/database.js';
import { waitFor } from '../support/wait.js';
import { startWorkerModule } from '../support/worker-module.js';

describe('audit checkpoints', () => {
  let api: RunningApi,
    worker: TestingModule,
    liaison: TestUser,
    manager: TestUser,
    lead: TestUser,
    inspection: InspectionDetail;

  beforeAll(async () => {
    api = await startApi();
    ({ lead, liaison, inspection } = await createForceWithInspection(api, [{ reference: 'K1' }, { reference: 'K2' }]));
    manager = await api.createUser('manager', []);
    // The real worker, on the API's database and queues; the API and it share the (development) AUDIT_KEY.
    worker = await startWorkerModule(
      {
        DATABASE_URL: api.dbUrl,
        DB_POOL_SIZE: '3',
        REDIS_URL: TEST_REDIS_URL,
        RECONCILE_EVERY: 'PT1H',
        SMTP_URL: 'smtp://127.0.0.1:1',
      },
      api.queuePrefix,
    );
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  const eventCount = () =>
    withClient(
      api.dbUrl,
      async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events`)).rows[0].n,
    );

  /** Polls the checkpoint until it covers `position` events (the worker chains them after commit). */
  const checkpointCovering = (position: number): Promise<Schema<'AuditCheckpointResponse'>> =>
    waitFor(
      `the checkpoint covering position ${position}`,
      async () => {
        const r = await api.adminApi.get('/audit/checkpoint');
        expect(r.status).toBe(200);
        return r.body.position >= position ? r.body : undefined;
      },
      20_000,
      100,
    );

  it('answers 401 without a token and 403 to every role but admin', async () => {
    expect((await api.client(null).get('/audit/checkpoint')).status).toBe(401);
    for (const user of [manager, lead, liaison])
      expect({ role: user.role, status: (await user.api.get('/audit/checkpoint')).status }).toEqual({
        role: user.role,
        status: 403,
      });
  });

  it('covers a transition soon after it commits, signed so that the key verifies it', async () => {
    const rec = inspection.recommendations[0];
    const moved = await liaison.api.post(`/recommendations/${rec.id}/transitions`, agreedPlan(rec.version));
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
    expect(verifiedCheckpoint(checkpointKeys(DEVELOPMENT_AUDIT_KEY), checkpoint)).toEqual({
      position: String(events),
      hash: checkpoint.hash,
    });
  });

  it('is held by the chain later, and a cut-off tail is found against it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'checkpoint-')), 'checkpoint.json');
    const saved = await checkpointCovering(await eventCount());
    writeFileSync(file, JSON.stringify(saved));

    const rec = inspection.recommendations[1];
    const closed = await lead.api.post(`/recommendations/${rec.id}/transitions`, {
      action: 'close',
      version: rec.version,
      outcome: 'superseded',
      comment: 'Replaced',
    });
    expect(closed.status).toBe(200);
    const events = await eventCount();
    await checkpointCovering(events);

    const verify = async () => {
      const lines: string[] = [];
      const code = await verifyMain(api.dbUrl, {
        auditKey: DEVELOPMENT_AUDIT_KEY,
        checkpointFile: file,
        print: (l) => lines.push(l),
      });
      return { code, lines };
    };
    expect(await verify()).toEqual({
      code: 0,
      lines: [`audit chain OK: ${events} events; holds the checkpoint at position ${saved.position}`],
    });

    // The owner removes everything from the checkpoint's position on, links and events, triggers off.
    const position = Number(saved.position);
    await tamper(
      api.dbUrl,
      `DELETE FROM audit_events WHERE seq IN (SELECT event_seq FROM audit_chain WHERE position >= ${position})`,
      `DELETE FROM audit_chain WHERE position >= ${position}`,
    );
    expect(await verify()).toEqual({
      code: 1,
      lines: [
        `audit chain BROKEN: it ends at position ${saved.position - 1}, before the checkpoint's position ${saved.position}: truncated`,
      ],
    });
  });
});
