export * from './import-rows.js';
export * from './lineage.js';
export * from './state-history.js';
