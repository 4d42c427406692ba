// The #observability alias: structured logging.
export * from './logging.module.js';
export * from './secret-paths.js';
