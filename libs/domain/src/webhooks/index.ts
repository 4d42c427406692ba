// Webhooks in the domain: events and formats, and retry decisions.
export * from './events.js';
export * from './retry.js';
