export * from './queues.js';
export * from './scheduler.service.js';
export * from './scheduling.module.js';
export * from './job-handlers.js';
export * from './dashboard.js';
export * from './queue-keys.js';
