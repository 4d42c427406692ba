// The #domain alias: plain TypeScript rules with no framework.
export * from './errors/domain-error.js';
export * from './roles.js';
export * from './workflow/states.js';
export * from './workflow/transitions.js';
export * from './workflow/overdue.js';
export * from './notifications/kinds.js';
export * from './notifications/ledger.js';
export * from './notifications/keys.js';
export * from './notifications/plan.js';
export * from './notifications/stale.js';
export * from './notifications/calendar-cancel.js';
export * from './time/index.js';
export * from './access.js';
export * from './organisation-code.js';
export * from './records/index.js';
export * from './webhooks/index.js';
export * from './identity/group-map.js';
