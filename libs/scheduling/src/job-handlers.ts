// The @OnJob handler registry: each job name's one handler, checked at start-up.
import { SetMetadata } from '@nestjs/common';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { Job } from 'bullmq';
import { JobName, type JobPayloads } from './queues.js';

/** 'skipped': nothing to do (already sent, stale, claimed by another worker). A throw asks BullMQ to retry. */
export type JobOutcome = 'success' | 'skipped';

export type JobHandler<N extends JobName = JobName> = (job: Job<JobPayloads[N], JobOutcome, N>) => Promise<JobOutcome>;

const JOB_HANDLER = Symbol('job-handler');

/** Marks a method of a Nest provider as the handler of one job name. */
export const OnJob = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER, name);

/**
 * Every job name's handler, found among the application's providers. Throws unless each JobName has
 * exactly one: a worker that could not run some job must refuse to start rather than fail those jobs.
 */
export function discoverJobHandlers(discovery: DiscoveryService, scanner: MetadataScanner): Map<JobName, JobHandler> {
  const found = new Map<JobName, { handler: JobHandler; where: string }[]>();
  const seen = new Set<object>();
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic() || seen.has(instance)) continue;
    seen.add(instance);
    for (const method of scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object | null)) {
      const fn = instance[method];
      if (typeof fn !== 'function') continue;
      const name = Reflect.getMetadata(JOB_HANDLER, fn) as JobName | undefined;
      if (!name) continue;
      const list = found.get(name) ?? [];
      list.push({ handler: (fn as JobHandler).bind(instance), where: `${instance.constructor.name}.${method}` });
      found.set(name, list);
    }
  }

  const problems: string[] = [];
  const handlers = new Map<JobName, JobHandler>();
  for (const name of Object.values(JobName)) {
    const list = found.get(name) ?? [];
    if (list.length === 0) problems.push(`no handler for job '${name}'`);
    else if (list.length > 1)
      problems.push(`job '${name}' has ${list.length} handlers: ${list.map((h) => h.where).join(', ')}`);
    else handlers.set(name, list[0].handler);
  }
  for (const name of found.keys()) {
    if (!Object.values(JobName).includes(name)) problems.push(`handler for unknown job '${name}'`);
  }
  if (problems.length > 0) throw new Error(`Job handlers are not complete: ${problems.join('; ')}`);
  return handlers;
}
