export * from './import-rows.js';
export * from './lineage.js';
export * from './spreadsheet-safe.js';
export * from './state-history.js';
