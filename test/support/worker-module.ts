// The worker's Nest module in the test's own process (not a child process), on a given database and queue prefix, for
// tests that call its services or need it running beside an in-process API (with an SMTP catcher both send to).
import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import type { LogLevel } from '@nestjs/common';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { APP_CONFIG, loadConfig } from '../../config/index.js';
import { SCHEDULING_OPTIONS } from '../../libs/scheduling/src/index.js';
import { TEST_REDIS_URL, startApi, type RunningApi } from './api-harness.js';
import { startSmtpCatcher, type SmtpCatcher } from './smtp-catcher.js';

/**
 * Starts WorkerModule with the settings `env` (as the worker's environment would give them) and its queues under
 * `queuePrefix`. Close it with `close()`.
 */
export async function startWorkerModule(
  env: Record<string, string>,
  queuePrefix: string,
  logLevels: LogLevel[] = ['error'],
): Promise<TestingModule> {
  const worker = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(loadConfig(env))
    .overrideProvider(SCHEDULING_OPTIONS)
    .useValue({ prefix: queuePrefix })
    .compile();
  worker.useLogger(logLevels);
  await worker.init();
  return worker;
}

export interface ApiWithWorker {
  api: RunningApi;
  catcher: SmtpCatcher;
  worker: TestingModule;
  /** Closes the worker, then the API, then the catcher. */
  close(): Promise<void>;
}

/**
 * Starts a loopback SMTP catcher, the API with `env`, and beside it the worker's module with `env` too, on the API's
 * database, Redis and queues, sending its email to the catcher; `workerEnv` adds settings for the worker alone (it
 * may read the running API), and `logLevels` are the worker's.
 */
export async function startApiWithWorker(
  env: Record<string, string>,
  workerEnv: (api: RunningApi) => Record<string, string> = () => ({}),
  logLevels: LogLevel[] = ['error'],
): Promise<ApiWithWorker> {
  const catcher = await startSmtpCatcher();
  const api = await startApi({ ...env, SMTP_URL: catcher.url }).catch(async (err: unknown) => {
    await catcher.close();
    throw err;
  });
  const worker = await startWorkerModule(
    { ...env, DATABASE_URL: api.dbUrl, REDIS_URL: TEST_REDIS_URL, SMTP_URL: catcher.url, ...workerEnv(api) },
    api.queuePrefix,
    logLevels,
  ).catch(async (err: unknown) => {
    await api.close();
    await catcher.close();
    throw err;
  });
  return {
    api,
    catcher,
    worker,
    async close() {
      await worker.close();
      await api.close();
      await catcher.close();
    },
  };
}
