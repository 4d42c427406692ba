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
    const managers: { id: string; email: string; organisation_ids: string[] }[] = await this.db.query(
      `SELECT u.id, u.email, coalesce(array_agg(uo.organisation_id ORDER BY uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS organisation_ids
         FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id
        WHERE u.role = 'manager' AND u.active GROUP BY u.id ORDER BY u.id`,
    );
    // One row per (manager, organisation); null for a manager who sees every organisation.
    const rows = managers.flatMap((m) => (m.organisation_ids.length > 0 ? m.organisation_ids : [null]).map((organisationId) => ({ ...m, organisationId })));
    if (rows.length === 0) return [];
    const inserted: { batch_key: string }[] = await this.db.query(
      `INSERT INTO notifications (dedup_key, recommendation_id, organisation_id, deadline_type, deadline_at, kind, offset_key,
                                  recipient_id, recipient_email, send_at, batch_key, status)
       SELECT m.dedup_key, NULL, m.organisation_id, $2, $3, $4, $5, m.id, m.email, $6, m.batch_key, 'scheduled'
         FROM unnest($1::text[], $7::uuid[], $8::text[], $9::text[], $10::uuid[]) AS m(dedup_key, id, email, batch_key, organisation_id)
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING batch_key`,
      [
        // The subject is the organisation summarised (the manager, for a summary of every organisation).
        rows.map((r) => dedupKeyFor(r.organisationId ?? r.id, DeadlineType.WeeklySummary, week, kind, IMMEDIATE_OFFSET, r.id)),
        DeadlineType.WeeklySummary,
        week,
        kind,
        IMMEDIATE_OFFSET,
        sendAt,
        rows.map((r) => r.id),
        rows.map((r) => r.email),
        rows.map((r) => batchKeyFor(kind, r.id, sendAt, this.config.digestWindowMs)),
        rows.map((r) => r.organisationId),
      ],
    );
    return [...new Set(inserted.map((r) => r.batch_key))].map((batchKey) => ({ batchKey, sendAt: batchSendTime(batchKey, this.config.digestWindowMs) }));
  }
}
