// The weekly overdue summary: each Monday, every manager's summary rows go into the ledger, to be sent like any notice.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import {
  CLOCK,
  NOTIFICATION_SCHEDULER,
  batchesToSchedule,
  type BatchToSchedule,
  type Clock,
  type NotificationScheduler,
} from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { DeadlineType, IMMEDIATE_OFFSET, NotificationKind, batchKeyFor, dedupKeyFor } from '#domain';
import { Storage, type RowToPlan } from '#persistence';
import { JobName, OnJob, WEEKLY_SUMMARY_CRON, type JobOutcome } from '#scheduling';

/** Monday 08:00 in London of the week `now` falls in: the identity of that week's summary. */
export function summaryWeekOf(now: Date): Date {
  return DateTime.fromJSDate(now, { zone: WEEKLY_SUMMARY_CRON.tz }).startOf('week').set({ hour: 8 }).toJSDate();
}

/**
 * Writes each manager's summary rows into the ledger and schedules them; the dispatcher gathers what is
 * overdue when it sends. A manager of some forces gets one row per force, carrying that organisation, so
 * that the ledger shows each force's managers their own summaries; a manager of every force gets one row
 * for all. A manager's rows share a batch, and so one email. The dedup key names the week, so a second
 * run in the same week adds nothing.
 */
@Injectable()
export class WeeklySummaryService {
  private readonly logger = new Logger(WeeklySummaryService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(NOTIFICATION_SCHEDULER) private readonly scheduler: NotificationScheduler,
    private readonly storage: Storage,
  ) {}

  @OnJob(JobName.WeeklyOverdueSummary)
  async handle(): Promise<JobOutcome> {
    const batches = await this.plan(this.clock.now());
    await this.scheduler.addSlotJobs(batches);
    this.logger.log({ summaries: batches.length }, 'weekly overdue summaries planned');
    return batches.length > 0 ? 'success' : 'skipped';
  }

  async plan(now: Date): Promise<BatchToSchedule[]> {
    const kind = NotificationKind.OverdueSummary;
    const week = summaryWeekOf(now);
    const sendAt = new Date(Math.max(week.getTime(), now.getTime()));
    const managers = await this.storage.pool.weeklySummary.activeManagers();
    // One row per (manager, organisation); null for a manager who sees every organisation.
    const rows = managers.flatMap((m) =>
      (m.allOrganisations ? [null] : m.organisationIds).map((organisationId): RowToPlan => ({
        // The subject is the organisation summarised (the manager, for a summary of every organisation).
        dedupKey: dedupKeyFor(organisationId ?? m.id, DeadlineType.WeeklySummary, week, kind, IMMEDIATE_OFFSET, m.id),
        recommendationId: null,
        inspectionId: null,
        organisationId,
        deadlineType: DeadlineType.WeeklySummary,
        deadlineAt: week,
        kind,
        offsetKey: IMMEDIATE_OFFSET,
        recipientId: m.id,
        recipientEmail: m.email,
        sendAt,
        batchKey: batchKeyFor(kind, m.id, sendAt, this.config.digestWindowMs),
      })),
    );
    // A summary already in the ledger (this week's, whatever its state) is left as it is.
    return batchesToSchedule(await this.storage.pool.ledger.plan(rows, [null]), this.config.digestWindowMs);
  }
}
