// The #config alias: the environment schema and the module that provides it.
export * from './env.schema.js';
export * from './config.module.js';
export * from './evidence.env.js';
export * from './identity.env.js';
export * from './oidc.env.js';
