// Plans webhook deliveries inside the caller's transaction (one per event and subscription) and asks for their jobs
// after commit.
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import type { WebhookEventInput } from '#domain';
import { Storage, type DueDelivery, type Repositories } from '#persistence';
import { WEBHOOK_SCHEDULER, type DueDeliveryJob, type WebhookScheduler } from '../tokens.js';
import { WebhookEvents, eventsToDeliver } from './webhook-events.js';

export const toJobs = (rows: readonly DueDelivery[]): DueDeliveryJob[] =>
  rows.map((r) => ({ id: r.id, attempts: r.attempts, at: r.nextAttemptAt }));

@Injectable()
export class WebhookPlanner {
  constructor(
    private readonly storage: Storage,
    @Inject(WEBHOOK_SCHEDULER) private readonly scheduler: WebhookScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** In `tx`: one delivery row per event and subscription that wants it; returns their jobs, to add once committed. */
  async plan(tx: Repositories, events: readonly WebhookEventInput[], now: Date): Promise<DueDeliveryJob[]> {
    if (events.length === 0) return [];
    return toJobs(await tx.webhooks.plan(eventsToDeliver(events, now), now));
  }

  /**
   * Events that are no change's (a deadline passed, an escalation sent): planned in a transaction of their own, then
   * scheduled.
   */
  async planAndSchedule(events: readonly WebhookEventInput[], now: Date): Promise<void> {
    if (events.length === 0) return;
    const jobs = await this.storage.transaction((tx) => this.plan(tx, events, now));
    await this.scheduler.addDeliveryJobs(jobs);
  }

  /** Events that are no change's, built with a collector (links from APP_BASE_URL), then planned and scheduled. */
  async emitAndSchedule(build: (events: WebhookEvents) => void, now: Date): Promise<void> {
    const events = new WebhookEvents(this.config.env.APP_BASE_URL);
    build(events);
    await this.planAndSchedule(events.list, now);
  }

  schedule(jobs: readonly DueDeliveryJob[]): Promise<void> {
    return this.scheduler.addDeliveryJobs(jobs);
  }
}
