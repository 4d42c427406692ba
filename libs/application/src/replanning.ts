// A change to the records that re-plans their notifications: one transaction, then the dispatch jobs it calls for.
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { Storage, type Repositories } from '#persistence';
import { NotificationPlanner } from './notification-planner.js';
import { CLOCK, NOTIFICATION_SCHEDULER, type Clock, type DueWork, type NotificationScheduler } from './tokens.js';
import { WebhookEvents } from './webhooks/webhook-events.js';
import { WebhookPlanner } from './webhooks/webhook-planner.js';

@Injectable()
export class Replanning {
  constructor(
    private readonly storage: Storage,
    /** Public for its settings (STALE_AFTER decides what the views call "no recent progress"). */
    readonly planner: NotificationPlanner,
    @Inject(NOTIFICATION_SCHEDULER) private readonly scheduler: NotificationScheduler,
    private readonly webhooks: WebhookPlanner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Runs `change` in one transaction (Storage.transaction: retried after a deadlock, database errors become
   * domain errors); it plans with `planner`, emits webhook events into `events` (planned as deliveries in the
   * same transaction) and returns the work that falls due. The jobs are asked for only once the transaction
   * has committed, so a change that rolled back schedules nothing.
   */
  async run(
    change: (tx: Repositories, planner: NotificationPlanner, events: WebhookEvents) => Promise<readonly DueWork[]>,
  ): Promise<void> {
    const { due, deliveries } = await this.storage.transaction(async (tx) => {
      const events = new WebhookEvents(this.config.env.APP_BASE_URL);
      const due = await change(tx, this.planner, events);
      return { due, deliveries: await this.webhooks.plan(tx, events.list, this.clock.now()) };
    });
    await this.scheduler.addSlotJobs(due);
    await this.webhooks.schedule(deliveries);
  }
}
