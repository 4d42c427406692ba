// The worker's Nest module in the test's own process (not a child process), on a given database and queue prefix, for
// tests that call its services or need it running beside an in-process API.
import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import type { LogLevel } from '@nestjs/common';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { APP_CONFIG, loadConfig } from '../../config/index.js';
import { SCHEDULING_OPTIONS } from '../../libs/scheduling/src/index.js';

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
