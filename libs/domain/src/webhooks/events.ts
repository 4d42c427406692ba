// Webhook events, formats and the delivery ledger's states: names clients rely on (contract v2), and the body every
// format starts from.

/** The event types of contract v2; a subscription names the ones it wants. */
export const WebhookEvent = {
  RecommendationCreated: 'recommendation.created',
  RecommendationTransitioned: 'recommendation.transitioned',
  RecommendationOverdue: 'recommendation.overdue',
  RecommendationEscalated: 'recommendation.escalated',
  EvidenceSubmitted: 'evidence.submitted',
  InspectionPublished: 'inspection.published',
  InspectionDatesChanged: 'inspection.dates_changed',
} as const;
export type WebhookEvent = (typeof WebhookEvent)[keyof typeof WebhookEvent];
export const WEBHOOK_EVENTS: readonly WebhookEvent[] = Object.values(WebhookEvent);

/**
 * How a delivery's body is shaped: Standard Webhooks JSON, a Teams Workflows Adaptive Card, or a Slack incoming-webhook
 * message.
 */
export const WebhookFormat = { Standard: 'standard', Teams: 'teams', Slack: 'slack' } as const;
export type WebhookFormat = (typeof WebhookFormat)[keyof typeof WebhookFormat];
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = Object.values(WebhookFormat);

/**
 * A delivery ledger row's states; `sending` is a claim held by one worker, `delivered`, `failed` and `cancelled` are
 * final.
 */
export const DeliveryStatus = {
  Scheduled: 'scheduled',
  Sending: 'sending',
  Delivered: 'delivered',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** The version of `data`'s shape, carried in every body (`data.payloadVersion`); a breaking change makes a new one. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/** Something that happened, for every subscription that wants it: one delivery row per matching subscription. */
export interface WebhookEventInput {
  type: WebhookEvent;
  /** The force it concerns; subscriptions limited to forces match on it. */
  organisationId: string | null;
  /** Identifies the event among a subscription's deliveries: the same key planned twice is one delivery. */
  key: string;
  /** A sentence for people (Teams, Slack), e.g. "Recommendation 4 of PEEL 2024: plan submitted". */
  summary: string;
  /** The page that shows it, absolute. */
  link: string;
  data: Record<string, unknown>;
}

/** The standard body: `{ type, timestamp, data }` (contract v2), `data` carrying its version, summary and link. */
export interface WebhookBody {
  type: WebhookEvent;
  timestamp: string;
  data: Record<string, unknown> & { payloadVersion: number; summary: string; link: string };
}

export function webhookBody(event: WebhookEventInput, at: Date): WebhookBody {
  return {
    type: event.type,
    timestamp: at.toISOString(),
    data: { payloadVersion: WEBHOOK_PAYLOAD_VERSION, ...event.data, summary: event.summary, link: event.link },
  };
}

/** What goes on the wire for `format`: the standard body, or a chat message that people read with a link. */
export function formatWebhookBody(format: WebhookFormat, body: WebhookBody): unknown {
  const { summary, link } = body.data;
  switch (format) {
    case WebhookFormat.Standard:
      return body;
    case WebhookFormat.Slack:
      return { text: `${escapeSlack(summary)} <${link}|Open in Follow-up Tracker>` };
    case WebhookFormat.Teams:
      // Teams Workflows ("When a Teams webhook request is received") posts the attachments' Adaptive Cards.
      return {
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [{ type: 'TextBlock', text: summary, wrap: true }],
              actions: [{ type: 'Action.OpenUrl', title: 'Open in Follow-up Tracker', url: link }],
            },
          },
        ],
      };
  }
}

/** Slack's mrkdwn treats &, < and > as control characters. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
