// The API in-process, a real worker process on its database and queues, and an SMTP catcher both send to: how a
// deadline becomes an email, end to end.
import {
  TEST_REDIS_URL,
  startApi,
  type NewInspectionInput,
  type NewRecommendationInput,
  type RunningApi,
} from './api-harness.js';
import { withClient } from './database.js';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher.js';
import { spawnWorker, type WorkerProcess } from './worker-process.js';

const DAY_MS = 86_400_000;

export interface MailPipeline {
  api: RunningApi;
  catcher: SmtpCatcher;
  worker: WorkerProcess;
  /**
   * How many notices of `kind` are claimed and not yet accepted by the SMTP server: the ledger's own state (the API
   * shows `sending` as `scheduled`).
   */
  beingSent(kind: string): Promise<number>;
  /** Kills the worker, then closes the API and the catcher. */
  close(): Promise<void>;
}

/**
 * Starts the catcher, the API with `env` (the settings API and worker must share: windows, offsets,
 * MAIL_FROM) and a worker process named `name` with the same settings plus `workerEnv`; resolves once the
 * worker says it has started.
 */
export async function startMailPipeline(
  name: string,
  env: Record<string, string>,
  workerEnv: Record<string, string> = {},
): Promise<MailPipeline> {
  const catcher = await startSmtpCatcher();
  const api = await startApi({ ...env, SMTP_URL: catcher.url }).catch(async (err: unknown) => {
    await catcher.close();
    throw err;
  });
  const worker = spawnWorker(name, {
    ...env,
    DATABASE_URL: api.dbUrl,
    REDIS_URL: TEST_REDIS_URL,
    SMTP_URL: catcher.url,
    QUEUE_PREFIX: api.queuePrefix,
    LOG_LEVEL: 'info',
    ...workerEnv,
  });
  const close = async () => {
    if (worker.running()) worker.child.kill('SIGKILL');
    await worker.exited;
    await api.close();
    await catcher.close();
  };
  try {
    await worker.waitForLine(/worker started/, 30_000);
  } catch (err) {
    await close();
    throw err;
  }
  const beingSent = (kind: string) =>
    withClient(api.dbUrl, async (c) =>
      Number(
        (await c.query(`SELECT count(*) AS n FROM notifications WHERE kind = $1 AND status = 'sending'`, [kind]))
          .rows[0].n,
      ),
    );
  return { api, catcher, worker, beingSent, close };
}

/**
 * An inspection published 30 days ago whose action plan falls due at `deadline` (a moment seconds ahead), its revisit
 * 90 days off.
 */
export const inspectionDueAt = (
  deadline: number,
  input: { organisationId: string; leadInspectorId: string; recommendations: NewRecommendationInput[] },
): NewInspectionInput => ({
  ...input,
  publishedAt: new Date(Date.now() - 30 * DAY_MS).toISOString(),
  actionPlanDueAt: new Date(deadline).toISOString(),
  revisitDueAt: new Date(Date.now() + 90 * DAY_MS).toISOString(),
});
