// Malware scanning with a real clamd (private port, EICAR signature only) and the worker's BullMQ scan jobs: infected,
// clean, a stopped scanner catching up.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestingModule } from '@nestjs/testing';
import { EvidenceScanning } from '../../libs/application/src/index.js';
import {
  TEST_REDIS_URL,
  createForceWithInspection,
  startApi,
  type ForceWithInspection,
  type RunningApi,
} from '../support/api-harness.js';
import { startClamd, type PrivateClamd } from '../support/clamd.js';
import { uploadEvidence } from '../support/evidence-client.js';
import { EICAR, pdf } from '../support/evidence-files.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';
import { waitFor } from '../support/wait.js';
import { startWorkerModule } from '../support/worker-module.js';

describe('evidence scanning with clamd', () => {
  let api: RunningApi,
    worker: TestingModule,
    clamd: PrivateClamd,
    catcher: SmtpCatcher,
    force: ForceWithInspection,
    folder: string,
    recId: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [clamd, catcher, folder] = await Promise.all([
      startClamd(),
      startSmtpCatcher(),
      mkdtemp(join(tmpdir(), 'evidence-scan-')),
    ]);
    env = {
      EVIDENCE_STORE: `file://${folder}`,
      CLAMAV_URL: clamd.url,
      SCAN_ATTEMPTS: '40',
      JOB_BACKOFF_MS: '100',
      SMTP_URL: catcher.url,
      MAIL_FROM: 'followup@scan.test',
      APP_BASE_URL: 'https://tracker.example',
    };
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
    force = await createForceWithInspection(api, [{ reference: '1' }]);
    recId = force.inspection.recommendations[0].id;
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await Promise.all([clamd?.close(), catcher?.close()]);
    await rm(folder, { recursive: true, force: true });
  });

  const upload = async (name: string, bytes: Buffer) => {
    const answer = await uploadEvidence(api.baseUrl, force.liaison.token, recId, [{ name, bytes }]);
    expect(answer.status).toBe(202);
    return answer.body[0] as { id: string; scan: string };
  };
  const scanned = (id: string, not = 'pending', timeoutMs = 30_000) =>
    waitFor(
      `file ${id} scanned`,
      async () => {
        const file = (await force.liaison.api.get(`/evidence/files/${id}`)).body;
        return file.scan !== not ? file : undefined;
      },
      timeoutMs,
    );

  it('finds EICAR: infected with its signature, quarantined, never downloadable, the uploader and an administrator told', async () => {
    const file = await upload('eicar.txt', EICAR);
    expect(file.scan).toBe('pending');
    const result = await scanned(file.id);
    expect(result).toMatchObject({
      scan: 'infected',
      signature: 'Eicar-Test-Signature.UNOFFICIAL',
      downloadable: false,
    });
    for (const user of [force.liaison, force.lead, api.admin]) {
      expect((await api.client(user.token).get(`/evidence/files/${file.id}/content`)).status).toBe(404);
    }
    expect(await readdir(join(folder, 'quarantine'))).toHaveLength(1);
    const mails = await catcher.waitFor((m) => m.filter((x) => x.kind === 'evidence_infected').length >= 2, 20_000);
    const to = mails.filter((m) => m.kind === 'evidence_infected').flatMap((m) => m.envelope.to);
    expect(to).toEqual(expect.arrayContaining([force.liaison.email, api.admin.email]));
    const history = (await force.liaison.api.get(`/recommendations/${recId}`)).body.history;
    expect(history.at(-1)).toMatchObject({
      action: 'evidence_scanned',
      changes: { scan: { from: 'pending', to: 'infected' } },
    });
  });

  it('passes a clean PDF, which can then be downloaded', async () => {
    const file = await upload('audit.pdf', pdf());
    expect(await scanned(file.id)).toMatchObject({ scan: 'clean', signature: null, downloadable: true });
    const response = await force.liaison.api.get(`/evidence/files/${file.id}/content`);
    expect(response.status).toBe(200);
  });

  it('leaves files pending while the scanner is stopped, and catches up once it is back', async () => {
    await clamd.stop();
    const file = await upload('plan.pdf', pdf('Plan'));
    await new Promise((r) => setTimeout(r, 2000));
    expect((await force.liaison.api.get(`/evidence/files/${file.id}`)).body).toMatchObject({
      scan: 'pending',
      downloadable: false,
    });
    expect((await force.liaison.api.get(`/evidence/files/${file.id}/content`)).status).toBe(404);
    await clamd.start();
    expect(await scanned(file.id, 'pending', 60_000)).toMatchObject({ scan: 'clean' });
  }, 120_000);

  it('marks a file unscanned when the last attempt finds no scanner', async () => {
    await clamd.stop();
    try {
      await worker.close(); // no job may race the direct call below
      const file = await upload('late.pdf', pdf('Late'));
      const restarted = await startWorkerModule(
        {
          ...env,
          DATABASE_URL: api.dbUrl,
          REDIS_URL: TEST_REDIS_URL,
          QUEUE_PREFIX: `${api.queuePrefix}-none`,
          LOG_LEVEL: 'silent',
        },
        `${api.queuePrefix}-none`,
      );
      worker = restarted;
      const scanning = restarted.get(EvidenceScanning);
      await expect(scanning.scan(file.id, false)).rejects.toThrow(/did not answer/);
      expect((await force.liaison.api.get(`/evidence/files/${file.id}`)).body.scan).toBe('pending');
      expect(await scanning.scan(file.id, true)).toEqual({ result: 'unscanned' });
      expect((await force.liaison.api.get(`/evidence/files/${file.id}`)).body).toMatchObject({
        scan: 'unscanned',
        downloadable: false,
      });
    } finally {
      await clamd.start();
    }
  }, 60_000);
});
