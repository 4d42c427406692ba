// A change to the records that re-plans their notifications: one transaction, then the dispatch jobs it calls for.
import { Inject, Injectable } from '@nestjs/common';
import { Storage, type Store } from '#persistence';
import { NotificationPlanner } from './notification-planner.js';
import { NOTIFICATION_SCHEDULER, type DueWork, type NotificationScheduler } from './tokens.js';

@Injectable()
export class Replanning {
  constructor(
    private readonly storage: Storage,
    /** Public for its settings (STALE_AFTER decides what the views call "no recent progress"). */
    readonly planner: NotificationPlanner,
    @Inject(NOTIFICATION_SCHEDULER) private readonly scheduler: NotificationScheduler,
  ) {}

  /**
   * Runs `change` in one transaction (Storage.transaction: retried after a deadlock, database errors become
   * domain errors); it plans with `planner` and returns the work that falls due. The jobs are asked for only
   * once the transaction has committed, so a change that rolled back schedules nothing.
   */
  async run(change: (tx: Store, planner: NotificationPlanner) => Promise<readonly DueWork[]>): Promise<void> {
    const due = await this.storage.transaction((tx) => change(tx, this.planner));
    await this.scheduler.addSlotJobs(due);
  }
}
