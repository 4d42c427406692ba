// Webhook subscriptions: an administrator's (any force) or a manager's (their own forces), their secrets, deliveries
// and "send again".
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  DomainError,
  DomainErrorCode,
  Role,
  WEBHOOK_EVENTS,
  WEBHOOK_FORMATS,
  WebhookFormat,
  invalidInput,
  notFound,
  parsePositiveDuration,
  type Actor,
  type WebhookEvent,
} from '#domain';
import { Storage, type DeliveryRow, type SubscriptionRow } from '#persistence';
import { CLOCK, type Clock } from '../tokens.js';
import { WebhookPlanner, toJobs } from './webhook-planner.js';
import { WebhookSecretBox, newWebhookSecret } from './webhook-secrets.js';

export interface CreateSubscriptionInput {
  url: string;
  events: string[];
  organisationIds?: string[];
  format?: string;
}

export interface SubscriptionView {
  id: string;
  url: string;
  events: WebhookEvent[];
  organisationIds: string[] | null;
  format: WebhookFormat;
  status: 'active' | 'disabled';
  disabledAt: string | null;
  disabledReason: string | null;
  failingSince: string | null;
  previousSecretValidUntil: string | null;
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  event: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  attemptList: {
    attempt: number;
    startedAt: string;
    durationMs: number;
    statusCode: number | null;
    outcome: string;
    error: string | null;
  }[];
}

const DELIVERIES_SHOWN = 100;

@Injectable()
export class WebhooksService {
  private readonly box: WebhookSecretBox;

  constructor(
    private readonly storage: Storage,
    private readonly planner: WebhookPlanner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.box = new WebhookSecretBox(config.auditKey);
  }

  /** The secret in clear, for the worker's signing. */
  openSecret(sealed: string): string {
    return this.box.open(sealed);
  }

  async create(actor: Actor, input: CreateSubscriptionInput): Promise<{ id: string; secret: string }> {
    assertMayManage(actor);
    const url = this.checkedUrl(input.url);
    const events = checkedEvents(input.events);
    const format = (input.format ?? WebhookFormat.Standard) as WebhookFormat;
    if (!WEBHOOK_FORMATS.includes(format)) throw invalidInput(`format must be one of ${WEBHOOK_FORMATS.join(', ')}`);
    const organisationIds = this.scopeFor(actor, input.organisationIds);
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const id = await this.storage.transaction(async (tx) => {
      for (const orgId of organisationIds ?? []) {
        if (!(await tx.organisations.findById(orgId)))
          throw invalidInput('organisationIds names an organisation that does not exist');
      }
      const id = await tx.webhooks.insertSubscription({
        url,
        events,
        organisationIds,
        format,
        secretSealed: this.box.seal(secret),
        ownerId: actor.id,
        now,
      });
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'webhook_subscription',
        entityId: id,
        action: 'webhook.subscribed',
        changes: { url, events, organisationIds, format },
      });
      return id;
    });
    return { id, secret };
  }

  async list(actor: Actor): Promise<SubscriptionView[]> {
    assertMayManage(actor);
    const rows = await this.storage.pool.webhooks.listSubscriptions(actor.role === Role.Admin ? null : actor.id);
    return rows.map(subscriptionView);
  }

  async get(actor: Actor, id: string): Promise<SubscriptionView> {
    return subscriptionView(await this.visible(actor, id));
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.visible(actor, id);
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      await tx.webhooks.deleteSubscription(id, now);
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'webhook_subscription',
        entityId: id,
        action: 'webhook.deleted',
        changes: {},
      });
    });
  }

  /** A new secret; the old one keeps signing too (a second signature) until `overlap` has passed. */
  async rotateSecret(
    actor: Actor,
    id: string,
    overlap?: string,
  ): Promise<{ secret: string; previousSecretValidUntil: string }> {
    await this.visible(actor, id);
    const overlapMs = parsePositiveDuration(overlap ?? this.config.env.WEBHOOK_SECRET_OVERLAP, 'overlap').toMillis();
    const now = this.clock.now();
    const until = new Date(now.getTime() + overlapMs);
    const secret = newWebhookSecret();
    await this.storage.transaction(async (tx) => {
      await tx.webhooks.rotateSecret(id, this.box.seal(secret), until, now);
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'webhook_subscription',
        entityId: id,
        action: 'webhook.secret_rotated',
        changes: { previousSecretValidUntil: until.toISOString() },
      });
    });
    return { secret, previousSecretValidUntil: until.toISOString() };
  }

  /** A disabled endpoint back on (after its owner fixed it). */
  async enable(actor: Actor, id: string): Promise<SubscriptionView> {
    await this.visible(actor, id);
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      await tx.webhooks.enable(id, now);
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'webhook_subscription',
        entityId: id,
        action: 'webhook.enabled',
        changes: {},
      });
    });
    return this.get(actor, id);
  }

  async deliveries(actor: Actor, id: string): Promise<DeliveryView[]> {
    await this.visible(actor, id);
    return (await this.storage.pool.webhooks.deliveries(id, DELIVERIES_SHOWN)).map(deliveryView);
  }

  /** "Send again": the delivery goes once more, now, under the same webhook-id. */
  async resend(actor: Actor, id: string, deliveryId: string): Promise<void> {
    await this.visible(actor, id);
    const now = this.clock.now();
    const due = await this.storage.transaction(async (tx) => {
      const row = await tx.webhooks.resend(id, deliveryId, now);
      if (!row)
        throw new DomainError(
          DomainErrorCode.Conflict,
          'that delivery is not this subscription’s, or is still being sent',
        );
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'webhook_subscription',
        entityId: id,
        action: 'webhook.resent',
        changes: { deliveryId },
      });
      return row;
    });
    await this.planner.schedule(toJobs([due]));
  }

  /** An administrator sees every subscription; a manager only their own; anyone else's is 404. */
  private async visible(actor: Actor, id: string): Promise<SubscriptionRow> {
    assertMayManage(actor);
    const row = UUID.test(id) ? await this.storage.pool.webhooks.findSubscription(id) : null;
    if (!row || (actor.role !== Role.Admin && row.ownerId !== actor.id)) throw notFound('webhook subscription');
    return row;
  }

  private checkedUrl(raw: unknown): string {
    if (typeof raw !== 'string' || !URL.canParse(raw.trim())) throw invalidInput('url must be an absolute URL');
    const url = new URL(raw.trim());
    const allowed = this.config.env.NODE_ENV === 'production' ? ['https:'] : ['https:', 'http:'];
    if (!allowed.includes(url.protocol)) throw invalidInput(`url must start with ${allowed.join(' or ')}`);
    if (url.username || url.password) throw invalidInput('url must not carry a user name or password');
    return url.toString();
  }

  /** A scoped manager's subscription covers their forces at most (all of them when none are named). */
  private scopeFor(actor: Actor, requested: string[] | undefined): string[] | null {
    if (
      requested !== undefined &&
      (!Array.isArray(requested) || requested.some((o) => typeof o !== 'string' || !UUID.test(o)))
    ) {
      throw invalidInput('organisationIds must be a list of organisation ids');
    }
    const national = actor.role === Role.Admin || actor.organisationIds.length === 0;
    if (national) return requested && requested.length > 0 ? [...new Set(requested)] : null;
    if (!requested || requested.length === 0) return [...actor.organisationIds];
    if (requested.some((o) => !actor.organisationIds.includes(o)))
      throw new DomainError(DomainErrorCode.Forbidden, 'organisationIds may name only your own forces');
    return [...new Set(requested)];
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertMayManage(actor: Actor): void {
  if (actor.role !== Role.Admin && actor.role !== Role.Manager)
    throw new DomainError(DomainErrorCode.Forbidden, 'only administrators and managers manage webhooks');
}

function checkedEvents(events: unknown): WebhookEvent[] {
  if (!Array.isArray(events) || events.length === 0) throw invalidInput('events must name at least one event');
  const unknown = events.filter((e) => !WEBHOOK_EVENTS.includes(e as WebhookEvent));
  if (unknown.length > 0)
    throw invalidInput(`events: unknown ${unknown.map(String).join(', ')}; known: ${WEBHOOK_EVENTS.join(', ')}`);
  return [...new Set(events as WebhookEvent[])];
}

function subscriptionView(row: SubscriptionRow): SubscriptionView {
  return {
    id: row.id,
    url: row.url,
    events: row.events as WebhookEvent[],
    organisationIds: row.organisationIds,
    format: row.format as WebhookFormat,
    status: row.disabledAt ? 'disabled' : 'active',
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince?.toISOString() ?? null,
    previousSecretValidUntil: row.previousSecretUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function deliveryView(row: DeliveryRow): DeliveryView {
  const waiting = row.status === 'scheduled' || row.status === 'sending';
  return {
    id: row.id,
    event: row.eventType,
    status: row.status === 'sending' ? 'scheduled' : row.status,
    attempts: row.attempts,
    nextAttemptAt: waiting ? row.nextAttemptAt.toISOString() : null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    attemptList: row.attemptList,
  };
}
