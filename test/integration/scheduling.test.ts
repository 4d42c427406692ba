// The scheduling adapter against Redis: job handler discovery, one delayed job per slot, and a Redis that cannot be
// reached.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../../config/index.js';
import {
  BullNotificationScheduler,
  JobName,
  OnJob,
  QueueName,
  createQueueDashboard,
  discoverJobHandlers,
  jobIdFor,
  type JobOutcome,
  type QueueMap,
} from '../../libs/scheduling/src/index.js';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** A provider class named `name` whose method `method` handles `job`, answering `outcome`, for each entry. */
function handlersClass(
  name: string,
  handlers: { job: JobName; method: string; outcome: JobOutcome }[],
): new () => unknown {
  const cls = { [name]: class {} }[name];
  for (const { job, method, outcome } of handlers) {
    Object.defineProperty(cls.prototype, method, {
      value: async (): Promise<JobOutcome> => outcome,
      writable: true,
      configurable: true,
    });
    OnJob(job)(cls.prototype, method, Object.getOwnPropertyDescriptor(cls.prototype, method)!);
  }
  Injectable()(cls);
  return cls;
}

const DispatchOnly = handlersClass('DispatchOnly', [
  { job: JobName.DispatchDue, method: 'dispatch', outcome: 'success' },
]);
const Everything = handlersClass('Everything', [
  { job: JobName.DispatchDue, method: 'dispatch', outcome: 'success' },
  { job: JobName.Reconcile, method: 'reconcile', outcome: 'success' },
  { job: JobName.WeeklyOverdueSummary, method: 'summary', outcome: 'skipped' },
  { job: JobName.SequenceAudit, method: 'sequence', outcome: 'success' },
  { job: JobName.DeliverWebhook, method: 'deliver', outcome: 'success' },
  { job: JobName.ScanEvidence, method: 'scan', outcome: 'success' },
  { job: JobName.EvidenceHousekeeping, method: 'housekeeping', outcome: 'success' },
  { job: JobName.SendAccountEmails, method: 'accountEmails', outcome: 'success' },
]);

async function discoverAmong(...providers: Array<new (...args: never[]) => unknown>) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers }).compile();
  try {
    return discoverJobHandlers(moduleRef.get(DiscoveryService), moduleRef.get(MetadataScanner));
  } finally {
    await moduleRef.close();
  }
}

describe('job handler discovery', () => {
  it('refuses to start when a job name has no handler', async () => {
    await expect(discoverAmong(DispatchOnly)).rejects.toThrow(
      /no handler for job 'reconcile'.*no handler for job 'weekly-overdue-summary'/,
    );
  });

  it('refuses to start when a job name has two handlers', async () => {
    await expect(discoverAmong(Everything, DispatchOnly)).rejects.toThrow(
      /job 'dispatch-due' has 2 handlers: .*Everything\.dispatch.*DispatchOnly\.dispatch/,
    );
  });

  it('finds exactly one handler per job name, bound to its provider', async () => {
    const handlers = await discoverAmong(Everything);
    expect([...handlers.keys()].sort()).toEqual(Object.values(JobName).sort());
    await expect(handlers.get(JobName.WeeklyOverdueSummary)!({} as never)).resolves.toBe('skipped');
  });
});

describe('BullNotificationScheduler', () => {
  const prefix = `test-scheduling-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ REDIS_URL, JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '100' });
  let redis: Redis;
  let queues: QueueMap;
  let scheduler: BullNotificationScheduler;

  beforeAll(() => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queues = {
      [QueueName.Notifications]: new Queue(QueueName.Notifications, { connection: redis, prefix }),
      [QueueName.Maintenance]: new Queue(QueueName.Maintenance, { connection: redis, prefix }),
      [QueueName.Audit]: new Queue(QueueName.Audit, { connection: redis, prefix }),
      [QueueName.Evidence]: new Queue(QueueName.Evidence, { connection: redis, prefix }),
      [QueueName.Webhooks]: new Queue(QueueName.Webhooks, { connection: redis, prefix }),
    };
    scheduler = new BullNotificationScheduler(queues, config);
  });

  afterAll(async () => {
    for (const queue of Object.values(queues)) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await redis.quit();
  });

  it('adds one delayed job per slot under a deterministic id, with retries, and ignores a second add', async () => {
    const windowMs = config.digestWindowMs;
    // A window boundary a few minutes ahead; two batches due at it and a retry inside the window before it.
    const slot = (Math.floor(Date.now() / windowMs) + 5) * windowMs;
    await scheduler.addSlotJobs([
      { slot: new Date(slot) },
      { slot: new Date(slot) },
      { slot: new Date(slot - windowMs / 2) },
    ]);
    await scheduler.addSlotJobs([{ slot: new Date(slot) }]);

    const jobId = jobIdFor(JobName.DispatchDue, { slot, drain: 0 });
    expect(jobId).toBe(`dispatch-due.${slot}.0`);
    expect(jobId).not.toContain(':');
    const job = await queues[QueueName.Notifications].getJob(jobId);
    expect(job?.name).toBe(JobName.DispatchDue);
    expect(job?.data).toEqual({ slot, drain: 0 });
    expect(job?.opts.attempts).toBe(3);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: 100 });
    expect(job?.opts.removeOnComplete).toBe(true);
    // Due at the slot: the delay is computed from the clock a moment before BullMQ stamps the job, and on
    // a busy machine that moment is not bounded by a few milliseconds, so only "not early, not a second late".
    expect(job!.timestamp + job!.opts.delay!).toBeGreaterThanOrEqual(slot - 5);
    expect(job!.timestamp + job!.opts.delay!).toBeLessThanOrEqual(slot + 1000);
    expect(await queues[QueueName.Notifications].getJobState(jobId)).toBe('delayed');
    expect(await queues[QueueName.Notifications].getJobCounts('delayed')).toEqual({ delayed: 1 });
  });

  it('adds one job per slot however many batches share it, and thousands of slots in chunks', async () => {
    const windowMs = config.digestWindowMs;
    const first = (Math.floor(Date.now() / windowMs) + 100) * windowMs;
    const due = Array.from({ length: 2_500 }, (_, i) => ({ slot: new Date(first + (i % 1_250) * windowMs) }));
    const before = (await queues[QueueName.Notifications].getJobCounts('delayed')).delayed;
    await scheduler.addSlotJobs(due);
    expect((await queues[QueueName.Notifications].getJobCounts('delayed')).delayed - before).toBe(1_250);
  });

  it('never throws, and does not hang its caller, when Redis cannot be reached', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, retryStrategy: () => 1000 });
    dead.on('error', () => undefined);
    const queue = new Queue(QueueName.Notifications, { connection: dead, prefix });
    queue.on('error', () => undefined);
    const offline = new BullNotificationScheduler({ ...queues, [QueueName.Notifications]: queue }, config);
    const started = Date.now();
    await expect(offline.addSlotJobs([{ slot: new Date() }])).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);
    dead.disconnect();
    await queue.close().catch(() => undefined);
    // ioredis and BullMQ let their last reconnect timers of a never-connected client run out (~1-2 s).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  });

  it('serves Bull Board for the queues', () => {
    const router = createQueueDashboard(Object.values(queues), '/admin/queues');
    expect(typeof router).toBe('function');
  });
});
