export * from './env.schema.js';
export * from './config.module.js';
