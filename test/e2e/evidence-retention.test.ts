// Retention: files of a recommendation closed longer than EVIDENCE_RETENTION ago are deleted by the worker's job,
// recorded in the history; a legal hold stops it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestingModule } from '@nestjs/testing';
import { EvidenceRetention } from '../../libs/application/src/index.js';
import {
  TEST_REDIS_URL,
  createForceWithInspection,
  startApi,
  type ForceWithInspection,
  type RunningApi,
} from '../support/api-harness.js';
import { uploadEvidence } from '../support/evidence-client.js';
import { pdf } from '../support/evidence-files.js';
import { startWorkerModule } from '../support/worker-module.js';

describe('evidence retention', () => {
  let api: RunningApi, worker: TestingModule, folder: string, held: ForceWithInspection, expiring: ForceWithInspection;
  const objects = async () => (await readdir(join(folder, 'objects')).catch(() => [])).sort();

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'evidence-retention-'));
    const env = { EVIDENCE_STORE: `file://${folder}`, EVIDENCE_SCAN: 'off', EVIDENCE_RETENTION: 'PT6S' };
    api = await startApi(env);
    worker = await startWorkerModule(
      {
        ...env,
        DATABASE_URL: api.dbUrl,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: api.queuePrefix,
        LOG_LEVEL: 'silent',
      },
      api.queuePrefix,
    );
    [held, expiring] = await Promise.all([
      createForceWithInspection(api, [{ reference: '1' }]),
      createForceWithInspection(api, [{ reference: '1' }, { reference: '2' }]),
    ]);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const close = async (force: ForceWithInspection, index: number) => {
    const rec = force.inspection.recommendations[index];
    const answer = await force.lead.api.post(`/recommendations/${rec.id}/transitions`, {
      action: 'close',
      version: rec.version,
      outcome: 'not_implemented',
      comment: 'Force merged',
    });
    expect(answer.status).toBe(200);
  };

  it('deletes the files of recommendations closed longer ago than EVIDENCE_RETENTION, except under a legal hold, and records each', async () => {
    const upload = async (force: ForceWithInspection, index: number) =>
      (
        await uploadEvidence(api.baseUrl, force.liaison.token, force.inspection.recommendations[index].id, [
          { name: `r${index}.pdf`, bytes: pdf() },
        ])
      ).body[0];
    const [gone, open, kept] = [await upload(expiring, 0), await upload(expiring, 1), await upload(held, 0)];
    await close(expiring, 0);
    const closedAt = Date.now();
    await close(held, 0);
    expect(
      (
        await api
          .client(expiring.liaison.token)
          .request('PUT', `/inspections/${held.inspection.id}/legal-hold`, { reason: 'Inquiry' })
      ).status,
    ).toBe(403);
    expect(
      (await api.adminApi.request('PUT', `/inspections/${held.inspection.id}/legal-hold`, { reason: 'Public inquiry' }))
        .status,
    ).toBe(200);
    expect(await objects()).toHaveLength(3);

    const retention = worker.get(EvidenceRetention);
    expect(await retention.run()).toEqual([]); // closed, but not yet 6 s ago
    await new Promise((r) => setTimeout(r, Math.max(0, closedAt + 6500 - Date.now())));
    const deleted = await retention.run();
    expect(deleted.map((f) => f.id)).toEqual([gone.id]);
    expect((await expiring.liaison.api.get(`/evidence/files/${gone.id}`)).status).toBe(404);
    expect((await expiring.liaison.api.get(`/evidence/files/${open.id}`)).status).toBe(200);
    expect((await held.liaison.api.get(`/evidence/files/${kept.id}/content`)).status).toBe(200);
    expect(await objects()).toHaveLength(2);
    const history = (await api.adminApi.get(`/recommendations/${expiring.inspection.recommendations[0].id}`)).body
      .history;
    expect(history.at(-1)).toMatchObject({
      action: 'evidence_deleted',
      actorId: null,
      changes: { files: { from: [{ id: gone.id, name: 'r0.pdf', sha256: gone.sha256 }] } },
    });

    expect((await api.adminApi.request('DELETE', `/inspections/${held.inspection.id}/legal-hold`)).status).toBe(204);
    expect((await retention.run()).map((f) => f.id)).toEqual([kept.id]);
    expect(await objects()).toHaveLength(1);
  });
});
