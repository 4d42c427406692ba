// Sends one webhook delivery attempt: claim it in the ledger, sign and POST it, record the outcome, retry or disable the endpoint.
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { CLOCK, WebhookPlanner, WebhooksService, type Clock } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { decideAfterAttempt, formatWebhookBody, type WebhookBody, type WebhookFormat } from '#domain';
import { Mailer, messageIdFor } from '#notifications';
import { SpanKind, inSpan, webhookDeliveries, webhookDuration, webhookEndpointsDisabledTotal } from '#observability';
import { Storage, type ClaimedDelivery } from '#persistence';
import { JobName, OnJob, type JobOutcome } from '#scheduling';
import type { Job } from 'bullmq';
import { GuardedClient } from './guarded-request.js';

/** The Standard Webhooks headers for `body`: one signature per secret in use (two during a rotation's overlap). */
export function signedHeaders(id: string, at: Date, body: string, secrets: readonly string[]): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' '),
  };
}

@Injectable()
export class WebhookDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly client: GuardedClient;

  constructor(
    private readonly storage: Storage,
    private readonly webhooks: WebhooksService,
    private readonly planner: WebhookPlanner,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.client = new GuardedClient({
      allowPrivate: config.env.WEBHOOK_ALLOW_PRIVATE,
      httpsOnly: config.env.NODE_ENV === 'production',
      timeoutMs: config.env.WEBHOOK_TIMEOUT_MS,
      maxResponseBytes: config.env.WEBHOOK_MAX_RESPONSE_BYTES,
    });
  }

  onModuleDestroy(): void {
    this.client.close();
  }

  @OnJob(JobName.DeliverWebhook)
  async handle(job: Job<{ deliveryId: string; attempt: number }>): Promise<JobOutcome> {
    return this.deliver(job.data.deliveryId);
  }

  /** One attempt at a due delivery; 'skipped' when it is not due, already taken, or finished. */
  async deliver(deliveryId: string): Promise<JobOutcome> {
    const claimed = await this.storage.pool.webhooks.claim(deliveryId, this.clock.now());
    if (!claimed) return 'skipped';
    const startedAt = this.clock.now();
    const body = JSON.stringify(formatWebhookBody(claimed.format as WebhookFormat, claimed.payload as unknown as WebhookBody));
    const result = await inSpan('webhook POST', { 'server.address': new URL(claimed.url).hostname, 'webhook.id': claimed.id }, async (span) => {
      const answer = await this.client.post(claimed.url, body, signedHeaders(claimed.id, startedAt, body, this.secretsOf(claimed, startedAt)));
      if (answer.statusCode !== null) span.setAttribute('http.response.status_code', answer.statusCode);
      return answer;
    }, SpanKind.CLIENT);
    const now = this.clock.now();
    const decision = decideAfterAttempt(result, claimed.attempts, claimed.retry_from, now, {
      backoffMs: this.config.env.WEBHOOK_BACKOFF_MS,
      maxBackoffMs: this.config.webhooks.maxBackoffMs,
      retryForMs: this.config.webhooks.retryForMs,
    });
    webhookDeliveries.inc({ outcome: decision.outcome, format: claimed.format });
    webhookDuration.observe(result.durationMs / 1000);
    const error = decision.outcome === 'failed' ? [result.error, decision.reason].filter(Boolean).join('; ') : result.error;
    const disabled = await this.storage.transaction(async (tx) => {
      await tx.webhooks.recordAttempt(
        { deliveryId, attempt: claimed.attempts, startedAt, durationMs: result.durationMs, statusCode: result.statusCode, outcome: decision.outcome, error },
        decision.outcome === 'retry' ? decision.at : null,
        now,
      );
      if (decision.outcome === 'delivered') {
        await tx.webhooks.markHealthy(claimed.subscription_id);
        return null;
      }
      const since = await tx.webhooks.markFailing(claimed.subscription_id, now);
      if (now.getTime() - since.getTime() < this.config.webhooks.disableAfterMs) return null;
      return tx.webhooks.disable(claimed.subscription_id, `failing since ${since.toISOString()}`, now);
    });
    if (decision.outcome === 'retry' && !disabled) await this.planner.schedule([{ id: deliveryId, attempts: claimed.attempts, at: decision.at }]);
    if (disabled) {
      webhookEndpointsDisabledTotal.inc();
      this.logger.warn({ subscriptionId: claimed.subscription_id }, 'webhook endpoint disabled after failing for WEBHOOK_DISABLE_AFTER');
      await this.tellOwner(claimed.subscription_id, disabled, now);
    }
    return 'success';
  }

  /** The current secret, and the previous one while its overlap lasts. */
  private secretsOf(claimed: ClaimedDelivery, at: Date): string[] {
    const secrets = [this.webhooks.openSecret(claimed.secret_sealed)];
    if (claimed.previous_secret_sealed && claimed.previous_secret_until && claimed.previous_secret_until > at) {
      // A previous secret sealed under an AUDIT_KEY since replaced cannot sign any more: the current one still does.
      try {
        secrets.push(this.webhooks.openSecret(claimed.previous_secret_sealed));
      } catch {
        this.logger.warn({ subscriptionId: claimed.subscription_id }, 'the previous webhook secret cannot be opened (AUDIT_KEY changed?): signing with the current one only');
      }
    }
    return secrets;
  }

  private async tellOwner(subscriptionId: string, owner: { owner_email: string; owner_name: string; url: string }, at: Date): Promise<void> {
    const page = new URL(`/admin/webhooks/${subscriptionId}`, this.config.env.APP_BASE_URL).toString();
    const text =
      `Dear ${owner.owner_name},\n\nThe webhook endpoint ${owner.url} has failed every delivery for ${this.config.env.WEBHOOK_DISABLE_AFTER} ` +
      `and has been turned off. Nothing more will be sent to it until it is turned on again.\n\nSee its delivery attempts and turn it back on: ${page}\n`;
    try {
      await this.mailer.send({
        to: owner.owner_email,
        from: this.config.env.MAIL_FROM,
        subject: 'A webhook endpoint has been turned off',
        text,
        html: `<p>Dear ${escapeHtml(owner.owner_name)},</p><p>The webhook endpoint ${escapeHtml(owner.url)} has failed every delivery for ${escapeHtml(this.config.env.WEBHOOK_DISABLE_AFTER)} and has been turned off. Nothing more will be sent to it until it is turned on again.</p><p><a href="${escapeHtml(page)}">See its delivery attempts and turn it back on</a></p>`,
        kind: 'webhook_disabled',
        messageId: messageIdFor(`webhook-disabled|${subscriptionId}|${at.toISOString()}`, this.config.env.MAIL_FROM),
      });
    } catch (err) {
      this.logger.error({ err, subscriptionId }, 'could not email the owner of a disabled webhook endpoint');
    }
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
