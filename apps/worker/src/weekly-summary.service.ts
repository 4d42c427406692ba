import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { CLOCK, NOTIFICATION_SCHEDULER, type BatchToSchedule, type Clock, type NotificationScheduler } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { DeadlineType, IMMEDIATE_OFFSET, NotificationKind, batchKeyFor, batchSendTime, dedupKeyFor } from '#domain';
import { JobName, OnJob, WEEKLY_SUMMARY_CRON, type JobOutcome } from '#scheduling';

/** Monday 08:00 in London of the week `now` falls in: the identity of that week's summary. */
export function summaryWeekOf(now: Date): Date {
  return DateTime.fromJSDate(now, { zone: WEEKLY_SUMMARY_CRON.tz }).startOf('week').set({ hour: 8 }).toJSDate();
}

/**
 * Writes one summary row per manager into the ledger and schedules it; the dispatcher gathers what is
 * overdue when it sends. The dedup key names the week, so a second run in the same week adds nothing.
 */
@Injectable()
export class WeeklySummaryService {
  private readonly logger = new Logger(WeeklySummaryService.name);

  constructor(
    private readonly db: DataSource,
    @Inject(NOTIFICATION_SCHEDULER) private readonly scheduler: NotificationScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnJob(JobName.WeeklyOverdueSummary)
  async handle(): Promise<JobOutcome> {
    const batches = await this.plan(this.clock.now());
    await this.scheduler.scheduleBatches(batches);
    this.logger.log({ summaries: batches.length }, 'weekly overdue summaries planned');
    return batches.length > 0 ? 'success' : 'skipped';
  }

  async plan(now: Date): Promise<BatchToSchedule[]> {
    const kind = NotificationKind.OverdueSummary;
    const week = summaryWeekOf(now);
    const sendAt = new Date(Math.max(week.getTime(), now.getTime()));
    const managers: { id: string; email: string }[] = await this.db.query(`SELECT id, email FROM users WHERE role = 'manager' AND active ORDER BY id`);
    if (managers.length === 0) return [];
    const rows: { batch_key: string }[] = await this.db.query(
      `INSERT INTO notifications (dedup_key, recommendation_id, deadline_type, deadline_at, kind, offset_key,
                                  recipient_id, recipient_email, send_at, batch_key, status)
       SELECT m.dedup_key, NULL, $2, $3, $4, $5, m.id, m.email, $6, m.batch_key, 'scheduled'
         FROM unnest($1::text[], $7::uuid[], $8::text[], $9::text[]) AS m(dedup_key, id, email, batch_key)
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING batch_key`,
      [
        managers.map((m) => dedupKeyFor(m.id, DeadlineType.WeeklySummary, week, kind, IMMEDIATE_OFFSET, m.id)),
        DeadlineType.WeeklySummary,
        week,
        kind,
        IMMEDIATE_OFFSET,
        sendAt,
        managers.map((m) => m.id),
        managers.map((m) => m.email),
        managers.map((m) => batchKeyFor(kind, m.id, sendAt, this.config.digestWindowMs)),
      ],
    );
    return [...new Set(rows.map((r) => r.batch_key))].map((batchKey) => ({ batchKey, sendAt: batchSendTime(batchKey, this.config.digestWindowMs) }));
  }
}
