// The scheduling adapter's public surface: queue and job names, payloads, job options, the handler registry, the
// scheduler.
export * from './queues.js';
export * from './scheduler.service.js';
export * from './scheduling.module.js';
export * from './job-handlers.js';
export * from './dashboard.js';
export * from './queue-keys.js';
export * from './operational-metrics.js';
