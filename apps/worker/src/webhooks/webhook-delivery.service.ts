// Sends one webhook delivery attempt: claim it in the ledger, sign and POST it, record the outcome, retry or disable
// the endpoint.
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { CLOCK, WebhookPlanner, WebhooksService, type Clock } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { decideAfterAttempt, formatWebhookBody, type WebhookBody, type WebhookFormat } from '#domain';
import { Mailer, messageIdFor } from '#notifications';
import { SpanKind, inSpan, webhookDeliveries, webhookDuration, webhookEndpointsDisabledTotal } from '#observability';
import { Storage, type AttemptRecord, type ClaimedDelivery, type DisabledEndpoint } from '#persistence';
import { JobName, OnJob, type JobOutcome } from '#scheduling';
import type { Job } from 'bullmq';
import { Coalescer, Semaphore } from './batching.js';
import { GuardedClient } from './guarded-request.js';

/** The Standard Webhooks headers for `body`: one signature per secret in use (two during a rotation's overlap). */
export function signedHeaders(id: string, at: Date, body: string, secrets: readonly string[]): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, at, body)).join(' '),
  };
}

/** At most this many claims, or attempt records, go to the database in one statement. */
const BATCH = 200;

/** An attempt's record, handed to the batch that writes it; what the batch says back about its endpoint. */
interface Outcome {
  attempt: AttemptRecord & { retryAt: Date | null };
  subscriptionId: string;
}
interface Recorded {
  /** The endpoint was turned off by this batch: whoever gets `tell` emails its owner. */
  endpointDisabled: boolean;
  tell: DisabledEndpoint | null;
}

/**
 * Sends webhook deliveries. A job names one delivery or a batch of them (planned together); each is claimed,
 * signed, posted and recorded on its own, but the claims and the records of everything this process is
 * sending at the moment go to the database together, one statement each, so the ledger costs a few round
 * trips per batch instead of six per delivery. At most WEBHOOK_CONCURRENCY posts are in flight per process,
 * and a delivery is claimed only once it may be posted, so a claim never waits long enough for its lease to run out.
 */
@Injectable()
export class WebhookDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly client: GuardedClient;
  private readonly inFlight: Semaphore;
  private stopping = false;
  private readonly claims = new Coalescer<string, ClaimedDelivery | null>((ids) => this.claimBatch(ids), BATCH);
  private readonly records = new Coalescer<Outcome, Recorded | { failed: unknown }>(
    (outcomes) => this.recordEach(outcomes),
    BATCH,
  );

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
    this.inFlight = new Semaphore(config.env.WEBHOOK_CONCURRENCY);
  }

  onModuleDestroy(): void {
    this.client.close();
  }

  /**
   * Shutting down: what is in flight finishes, but nothing more is claimed (a batch's unsent deliveries get jobs of
   * their own).
   */
  stop(): void {
    this.stopping = true;
  }

  /**
   * Every delivery the job names; a delivery that failed to be recorded fails the job (the reconciler repairs it), the
   * others stand.
   */
  @OnJob(JobName.DeliverWebhook)
  async handle(job: Job<{ deliveryId: string; attempt: number; deliveryIds?: string[] }>): Promise<JobOutcome> {
    const left: string[] = [];
    const outcomes = await Promise.allSettled(
      (job.data.deliveryIds ?? [job.data.deliveryId]).map((id) => this.deliver(id, () => left.push(id))),
    );
    // Left unclaimed by a worker stopping: due now, for whichever worker is still running. This job's own first
    // delivery goes last, as a new job named after it would be this one (the reconciler's next run adds that one).
    left.sort((a, b) => Number(a === job.data.deliveryId) - Number(b === job.data.deliveryId));
    if (left.length > 0)
      await this.planner.schedule(left.map((id) => ({ id, attempts: job.data.attempt, at: this.clock.now() })));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.some((o) => o.status === 'fulfilled' && o.value === 'success') ? 'success' : 'skipped';
  }

  /**
   * One attempt at a due delivery; 'skipped' when it is not due, already taken, or finished, or (`onStopped`) the
   * worker is stopping.
   */
  async deliver(deliveryId: string, onStopped?: () => void): Promise<JobOutcome> {
    const sent = await this.inFlight.with(async () => {
      if (this.stopping) {
        onStopped?.();
        return null;
      }
      const claimed = await this.claims.submit(deliveryId);
      if (!claimed) return null;
      const startedAt = this.clock.now();
      const body = JSON.stringify(
        formatWebhookBody(claimed.format as WebhookFormat, claimed.payload as unknown as WebhookBody),
      );
      const result = await inSpan(
        'webhook POST',
        { 'server.address': new URL(claimed.url).hostname, 'webhook.id': claimed.id },
        async (span) => {
          const answer = await this.client.post(
            claimed.url,
            body,
            signedHeaders(claimed.id, startedAt, body, this.secretsOf(claimed, startedAt)),
          );
          if (answer.statusCode !== null) span.setAttribute('http.response.status_code', answer.statusCode);
          return answer;
        },
        SpanKind.CLIENT,
      );
      return { claimed, startedAt, result };
    });
    if (!sent) return 'skipped';
    const { claimed, startedAt, result } = sent;
    const decision = decideAfterAttempt(result, claimed.attempts, claimed.retryFrom, this.clock.now(), {
      backoffMs: this.config.env.WEBHOOK_BACKOFF_MS,
      maxBackoffMs: this.config.webhooks.maxBackoffMs,
      retryForMs: this.config.webhooks.retryForMs,
    });
    webhookDeliveries.inc({ outcome: decision.outcome, format: claimed.format });
    webhookDuration.observe(result.durationMs / 1000);
    const error =
      decision.outcome === 'failed' ? [result.error, decision.reason].filter(Boolean).join('; ') : result.error;
    const retryAt = decision.outcome === 'retry' ? decision.at : null;
    const recorded = await this.records.submit({
      attempt: {
        deliveryId,
        attempt: claimed.attempts,
        startedAt,
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        outcome: decision.outcome,
        error,
        retryAt,
      },
      subscriptionId: claimed.subscriptionId,
    });
    if ('failed' in recorded) throw recorded.failed;
    if (retryAt && !recorded.endpointDisabled)
      await this.planner.schedule([{ id: deliveryId, attempts: claimed.attempts, at: retryAt }]);
    if (recorded.tell) {
      webhookEndpointsDisabledTotal.inc();
      this.logger.warn(
        { subscriptionId: claimed.subscriptionId },
        'webhook endpoint disabled after failing for WEBHOOK_DISABLE_AFTER',
      );
      await this.tellOwner(claimed.subscriptionId, recorded.tell, this.clock.now());
    }
    return 'success';
  }

  /** One claim statement for everything asked for together; an id asked for twice is given to the first asker only. */
  private async claimBatch(ids: string[]): Promise<(ClaimedDelivery | null)[]> {
    const rows = new Map(
      (await this.storage.pool.webhooks.claimMany([...new Set(ids)], this.clock.now())).map((r) => [r.id, r]),
    );
    return ids.map((id) => {
      const row = rows.get(id) ?? null;
      rows.delete(id);
      return row;
    });
  }

  /**
   * One transaction for the attempts made together: their records, their deliveries moved on, and each
   * endpoint's failure clock as if they had been recorded one by one in the order they finished (stopped
   * by a success, started by a failure after it), disabling an endpoint failing for WEBHOOK_DISABLE_AFTER.
   */
  /**
   * The batch in one transaction; if that fails, each attempt in a transaction of its own, so that one that
   * cannot be recorded fails alone. Two failing in a row is the database, not an attempt: the rest fail with them.
   */
  private async recordEach(outcomes: Outcome[]): Promise<(Recorded | { failed: unknown })[]> {
    try {
      return await this.recordBatch(outcomes);
    } catch (err) {
      if (outcomes.length === 1) return [{ failed: err }];
      const answers: (Recorded | { failed: unknown })[] = [];
      let inARow = 0;
      for (const outcome of outcomes) {
        const answer =
          inARow >= 2
            ? { failed: err }
            : await this.recordBatch([outcome]).then(
                ([r]) => r,
                (failed: unknown) => ({ failed }),
              );
        inARow = 'failed' in answer ? inARow + 1 : 0;
        answers.push(answer);
      }
      return answers;
    }
  }

  private recordBatch(outcomes: Outcome[]): Promise<Recorded[]> {
    const now = this.clock.now();
    const last = new Map<string, number>();
    outcomes.forEach((o, i) => last.set(o.subscriptionId, i));
    const healthy = new Set(outcomes.filter((o) => o.attempt.outcome === 'delivered').map((o) => o.subscriptionId));
    const failing = [...last]
      .filter(([, i]) => outcomes[i].attempt.outcome !== 'delivered')
      .map(([id]) => id)
      .sort();
    return this.storage.transaction(async (tx) => {
      if (failing.length > 0) await tx.webhooks.lockSubscriptions([...new Set([...failing, ...healthy])]);
      await tx.webhooks.recordAttempts(
        outcomes.map((o) => o.attempt),
        [...healthy],
        now,
      );
      const disabled = new Map<string, DisabledEndpoint | null>();
      for (const subscriptionId of failing) {
        const since = await tx.webhooks.markFailing(subscriptionId, now);
        if (now.getTime() - since.getTime() < this.config.webhooks.disableAfterMs) continue;
        disabled.set(
          subscriptionId,
          await tx.webhooks.disable(subscriptionId, `failing since ${since.toISOString()}`, now),
        );
      }
      return outcomes.map((o, i) => ({
        endpointDisabled: disabled.has(o.subscriptionId),
        tell: last.get(o.subscriptionId) === i ? (disabled.get(o.subscriptionId) ?? null) : null,
      }));
    });
  }

  /** The current secret, and the previous one while its overlap lasts. */
  private secretsOf(claimed: ClaimedDelivery, at: Date): string[] {
    const secrets = [this.webhooks.openSecret(claimed.secretSealed)];
    if (claimed.previousSecretSealed && claimed.previousSecretUntil && claimed.previousSecretUntil > at) {
      // A previous secret sealed under an AUDIT_KEY since replaced cannot sign any more: the current one still does.
      try {
        secrets.push(this.webhooks.openSecret(claimed.previousSecretSealed));
      } catch {
        this.logger.warn(
          { subscriptionId: claimed.subscriptionId },
          'the previous webhook secret cannot be opened (AUDIT_KEY changed?): signing with the current one only',
        );
      }
    }
    return secrets;
  }

  private async tellOwner(subscriptionId: string, owner: DisabledEndpoint, at: Date): Promise<void> {
    const page = new URL(`/admin/webhooks/${subscriptionId}`, this.config.env.APP_BASE_URL).toString();
    const text =
      `Dear ${owner.ownerName},\n\nThe webhook endpoint ${owner.url} has failed every delivery for ${this.config.env.WEBHOOK_DISABLE_AFTER} ` +
      `and has been turned off. Nothing more will be sent to it until it is turned on again.\n\nSee its delivery attempts and turn it back on: ${page}\n`;
    try {
      await this.mailer.send({
        to: owner.ownerEmail,
        from: this.config.env.MAIL_FROM,
        subject: 'A webhook endpoint has been turned off',
        text,
        html: `<p>Dear ${escapeHtml(owner.ownerName)},</p><p>The webhook endpoint ${escapeHtml(owner.url)} has failed every delivery for ${escapeHtml(this.config.env.WEBHOOK_DISABLE_AFTER)} and has been turned off. Nothing more will be sent to it until it is turned on again.</p><p><a href="${escapeHtml(page)}">See its delivery attempts and turn it back on</a></p>`,
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
