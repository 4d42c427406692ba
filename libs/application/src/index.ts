// The #application alias: the use cases, their views and the ports adapters implement.
export * from './application.module.js';
export * from './audit.js';
export * from './inspections.service.js';
export * from './inspection-publishing.js';
export * from './ledger.service.js';
export * from './notification-planner.js';
export * from './organisations.service.js';
export * from './overdue-list.js';
export * from './paging.js';
export * from './policies.service.js';
export * from './recommendations.service.js';
export * from './replanning.js';
export * from './tokens.js';
export * from './users.service.js';
export { UserRule } from './user-changes.js';
export * from './views.js';
export * from './audit.service.js';
export * from './audit-sequencer-trigger.js';
export * from './records/calendar.service.js';
export * from './records/csv-columns.js';
export * from './records/dashboard.service.js';
export * from './records/readiness.service.js';
export * from './records/recommendations-csv.js';
export * from './records/register.service.js';
export * from './work.queries.js';
export * from './evidence/evidence.service.js';
export * from './evidence/evidence-scanning.js';
export * from './evidence/evidence-retention.js';
export * from './evidence/evidence-views.js';
export * from './search.service.js';
export * from './to-do.js';
export {
  WebhooksService,
  type CreateSubscriptionInput,
  type DeliveryView,
  type SubscriptionView,
} from './webhooks/webhooks.service.js';
export { WebhookPlanner, toJobs } from './webhooks/webhook-planner.js';
export { WebhookEvents } from './webhooks/webhook-events.js';
export { WebhookSecretBox, newWebhookSecret } from './webhooks/webhook-secrets.js';
export * from './identity/account-links.service.js';
export * from './identity/identity-settings.js';
export * from './identity/ports.js';
export * from './identity/passwords.service.js';
export * from './identity/two-factor.service.js';
export * from './identity/single-sign-on.service.js';
export * from './identity/sso-only.js';
export * from './identity/api-tokens.service.js';
