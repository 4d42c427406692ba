// The webhook pages' view models: subscriptions, the add form, one subscription with its delivery attempts, in words
// people read.
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS, type WebhookEvent } from '#domain';
import type { DeliveryView, SubscriptionView } from '#application';
import { pageTitle } from '../page-title.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';
import { listField, UUID } from './form-fields.js';
import { londonDateTime } from './format.js';

export const EVENT_LABELS: Record<WebhookEvent, string> = {
  'recommendation.created': 'Recommendation issued',
  'recommendation.transitioned': 'Recommendation moved on (plan, progress, closure, decisions)',
  'recommendation.overdue': 'Deadline passed',
  'recommendation.escalated': 'Escalated to managers',
  'evidence.submitted': 'Evidence submitted',
  'inspection.published': 'Inspection published',
  'inspection.dates_changed': 'Inspection dates changed',
};

const FORMAT_LABELS: Record<string, string> = {
  standard: 'Signed JSON (Standard Webhooks)',
  teams: 'Microsoft Teams (Workflows)',
  slack: 'Slack incoming webhook',
};
const STATUS_LABELS: Record<string, string> = {
  scheduled: 'Waiting',
  delivered: 'Delivered',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const OUTCOME_LABELS: Record<string, string> = { delivered: 'Delivered', retry: 'Will try again', failed: 'Failed' };

export interface WebhookForm {
  url: string;
  events: string[];
  organisationIds: string[];
  format: string;
}

export function readWebhookForm(body: unknown): WebhookForm {
  return {
    url: textField(body, 'url').trim(),
    events: listField(body, 'events').filter((e) => WEBHOOK_EVENTS.includes(e as WebhookEvent)),
    organisationIds: listField(body, 'organisationIds').filter((id) => UUID.test(id)),
    format: WEBHOOK_FORMATS.includes(textField(body, 'format') as never) ? textField(body, 'format') : 'standard',
  };
}

export function webhookProblems(form: WebhookForm): FieldMessage[] {
  return [
    ...(form.url === ''
      ? [{ field: 'url', text: 'Enter the address to send events to' }]
      : !URL.canParse(form.url)
        ? [{ field: 'url', text: 'Enter a full address, starting with https://' }]
        : []),
    ...(form.events.length === 0 ? [{ field: 'events', text: 'Select at least one event' }] : []),
  ];
}

type Force = { id: string; name: string };

export function webhookFormModel(
  forces: Force[],
  form: WebhookForm = { url: '', events: [], organisationIds: [], format: 'standard' },
  messages: FieldMessage[] = [],
) {
  return {
    pageTitle: pageTitle('Add a webhook', 'Webhooks'),
    backLink: { href: '/admin/webhooks', text: 'Back to webhooks' },
    values: form,
    errors: messages.length ? formErrors(messages) : NO_ERRORS,
    eventItems: WEBHOOK_EVENTS.map((e) => ({ value: e, text: EVENT_LABELS[e], checked: form.events.includes(e) })),
    forceItems: forces.map((f) => ({ value: f.id, text: f.name, checked: form.organisationIds.includes(f.id) })),
    formatItems: WEBHOOK_FORMATS.map((f) => ({ value: f, text: FORMAT_LABELS[f], checked: form.format === f })),
  };
}

const forcesText = (ids: string[] | null, names: Map<string, string>) =>
  ids === null ? 'All forces' : ids.map((id) => names.get(id) ?? 'A force no longer listed').join(', ');

export function webhookListModel(items: SubscriptionView[], names: Map<string, string>) {
  return {
    pageTitle: pageTitle('Webhooks'),
    rows: items.map((s) => ({
      url: s.url,
      href: `/admin/webhooks/${s.id}`,
      events: s.events.map((e) => EVENT_LABELS[e] ?? e).join(', '),
      forces: forcesText(s.organisationIds, names),
      format: FORMAT_LABELS[s.format] ?? s.format,
      active: s.status === 'active',
    })),
  };
}

export function webhookModel(
  s: SubscriptionView,
  deliveries: DeliveryView[],
  names: Map<string, string>,
  secret: string | null = null,
) {
  return {
    pageTitle: pageTitle('Webhook', 'Webhooks'),
    backLink: { href: '/admin/webhooks', text: 'Back to webhooks' },
    id: s.id,
    secret,
    active: s.status === 'active',
    summary: [
      { key: { text: 'Address' }, value: { text: s.url } },
      { key: { text: 'Events' }, value: { text: s.events.map((e) => EVENT_LABELS[e] ?? e).join(', ') } },
      { key: { text: 'Forces' }, value: { text: forcesText(s.organisationIds, names) } },
      { key: { text: 'Format' }, value: { text: FORMAT_LABELS[s.format] ?? s.format } },
      {
        key: { text: 'Status' },
        value: {
          text:
            s.status === 'active'
              ? s.failingSince
                ? `On, failing since ${londonDateTime(s.failingSince)}`
                : 'On'
              : `Turned off ${londonDateTime(s.disabledAt)} after failing for a day`,
        },
      },
      ...(s.previousSecretValidUntil
        ? [
            {
              key: { text: 'Previous secret' },
              value: { text: `Also signs until ${londonDateTime(s.previousSecretValidUntil)}` },
            },
          ]
        : []),
    ],
    deliveries: deliveries.map((d) => ({
      id: d.id,
      event: EVENT_LABELS[d.event as WebhookEvent] ?? d.event,
      created: londonDateTime(d.createdAt),
      status: STATUS_LABELS[d.status] ?? d.status,
      statusColour: d.status === 'delivered' ? 'green' : d.status === 'failed' ? 'red' : 'grey',
      canResend: d.status !== 'scheduled',
      next: d.nextAttemptAt ? `Next try ${londonDateTime(d.nextAttemptAt)}` : '',
      attempts: d.attemptList.map((a) => ({
        when: londonDateTime(a.startedAt),
        response: a.statusCode === null ? 'No answer' : String(a.statusCode),
        duration: `${a.durationMs} ms`,
        outcome: OUTCOME_LABELS[a.outcome] ?? a.outcome,
        error: a.error ?? '',
      })),
    })),
  };
}
