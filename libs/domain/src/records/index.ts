// The records rules: spreadsheet imports, lineage between reports, the monthly state history.
export * from './import-rows.js';
export * from './inspection-limits.js';
export * from './lineage.js';
export * from './state-history.js';
export * from './deadline-events.js';
