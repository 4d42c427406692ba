// The #observability alias: structured logging.
export * from './logging.module.js';
export * from './metrics.js';
export * from './tracing.js';
export * from './secret-paths.js';
