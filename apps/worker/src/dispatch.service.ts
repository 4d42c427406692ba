import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, NOTIFICATION_SCHEDULER, NotificationPlanner, type BatchToSchedule, type Clock, type NotificationScheduler } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  DeadlineType,
  NotificationKind,
  Role,
  activeDeadlines,
  isStillDue,
  nextEscalation,
  visibleOrganisations,
  type PlannedNotification,
  type RecommendationStatus,
} from '#domain';
import { Mailer, SmtpDeliveryError, messageIdFor, renderEmail, type EmailContent, type EmailDeadlineType, type EmailItem } from '#notifications';
import { JobName, OnJob, type JobOutcome, type JobPayloads } from '#scheduling';

/** A ledger row as the claim returns it. */
interface LedgerRow {
  id: string;
  recommendation_id: string | null;
  deadline_type: DeadlineType;
  deadline_at: Date;
  kind: NotificationKind;
  offset_key: string;
  recipient_id: string;
  recipient_email: string;
  attempts: number;
  send_at: Date;
  message_id: string;
  recipient_name: string | null;
}

interface RecommendationRow {
  id: string;
  status: RecommendationStatus;
  action_plan_due_at: Date;
  due_at: Date;
  next_deadline_at: Date | null;
  reference: string;
  text: string;
  priority: boolean;
  inspection_id: string;
  organisation_id: string;
  inspection_title: string;
  organisation_name: string;
}

interface Prepared {
  content: EmailContent;
  /** The rows this email is about (the stale ones are already cancelled). */
  rows: LedgerRow[];
  recommendations: RecommendationRow[];
}

const DAY_MS = 86_400_000;
/** A notice that transient SMTP failures kept from its recipient for this long is recorded as failed. */
export const GIVE_UP_AFTER_MS = DAY_MS;
/** A weekly summary lists the most overdue; the rest are one click away in the tracker. */
export const SUMMARY_MAX_ITEMS = 200;

const RECOMMENDATION_SQL = `
  SELECT r.id, r.status, r.action_plan_due_at, r.due_at, r.next_deadline_at, r.reference, r.text, r.priority,
         r.inspection_id, r.organisation_id, i.title AS inspection_title, o.name AS organisation_name
    FROM recommendations r
    JOIN inspections i ON i.id = r.inspection_id
    JOIN organisations o ON o.id = r.organisation_id`;

/**
 * Sends one batch (one email) from the ledger. The claim is the only guard against doubles: whatever
 * BullMQ does (duplicates, stalls, retries), a row is sent only by the worker that moved it to `sending`.
 */
@Injectable()
export class DispatchService {
  private readonly logger = new Logger(DispatchService.name);

  constructor(
    private readonly db: DataSource,
    private readonly mailer: Mailer,
    private readonly planner: NotificationPlanner,
    @Inject(NOTIFICATION_SCHEDULER) private readonly scheduler: NotificationScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnJob(JobName.DispatchBatch)
  handle(job: Job<JobPayloads[JobName.DispatchBatch]>): Promise<JobOutcome> {
    return this.dispatch(job.data.batchKey, job.attemptsMade + 1 >= (job.opts.attempts ?? 1));
  }

  async dispatch(batchKey: string, lastAttempt: boolean): Promise<JobOutcome> {
    const claimed = await this.claim(batchKey);
    if (claimed.length === 0) return 'skipped';
    // Nearly always one email; two when rows joined the batch after its first email had gone.
    const byMessageId = new Map<string, LedgerRow[]>();
    for (const row of claimed) byMessageId.set(row.message_id, [...(byMessageId.get(row.message_id) ?? []), row]);
    const emails = [...byMessageId.values()];
    for (const [index, rows] of emails.entries()) {
      try {
        await this.deliver(rows, lastAttempt);
      } catch (err) {
        const untried = emails.slice(index + 1).flat().map((r) => r.id);
        await this.release(untried, err, false).catch(() => undefined);
        throw err;
      }
    }
    return 'success';
  }

  /** One email: prepare, send, record. Throws only for a transient failure, after releasing its rows. */
  private async deliver(claimed: LedgerRow[], lastAttempt: boolean): Promise<void> {
    const now = this.clock.now();
    const messageId = claimed[0].message_id;
    let prepared: Prepared | null;
    try {
      prepared = claimed[0].kind === NotificationKind.OverdueSummary ? await this.summaryContent(claimed, now) : await this.recommendationContent(claimed, now);
      if (!prepared) return;
      const rendered = renderEmail(prepared.content);
      await this.mailer.send({
        to: prepared.content.recipient.email,
        from: this.config.env.MAIL_FROM,
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        icalEvents: rendered.icalEvents,
        kind: prepared.content.kind,
        messageId,
      });
    } catch (err) {
      const permanent = err instanceof SmtpDeliveryError && err.permanent;
      // An outage is waited out (the reconciler re-queues the batch) unless it has lasted a day.
      const givenUp = lastAttempt && claimed.every((r) => now.getTime() - r.send_at.getTime() > GIVE_UP_AFTER_MS);
      await this.release(
        claimed.map((r) => r.id),
        err,
        permanent || givenUp,
      ).catch((releaseErr: unknown) =>
        // The rows stay `sending`; the reconciler frees them when the lease runs out.
        this.logger.error({ err: releaseErr, messageId }, 'could not record the failed delivery'),
      );
      if (!permanent) throw err;
      this.logger.warn({ err, messageId, rows: claimed.length }, 'the SMTP server refused the message for good: recorded as failed');
      return;
    }
    // Sent: from here on nothing may put the rows back to `scheduled`. If even recording fails they stay
    // `sending`, and after the lease they go out once more under the same Message-ID.
    await this.recordSent(prepared, messageId, now);
  }

  /**
   * Atomic: of two workers running the same batch, one gets the rows and the other nothing. The Message-ID
   * is fixed here, before sending, and kept: a resend after a crash or a retry carries the same one. The
   * batch's first email takes the batch's id; rows that join after it went get an id of their own, so no
   * two different emails ever share one.
   */
  private async claim(batchKey: string): Promise<LedgerRow[]> {
    const batchId = messageIdFor(batchKey, this.config.env.MAIL_FROM);
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [batchKey]);
      // A new statement after the lock, so its snapshot sees every earlier claim of this batch.
      const rows: LedgerRow[] = await manager.query(
        `WITH earlier AS (SELECT EXISTS (SELECT 1 FROM notifications WHERE batch_key = $1 AND message_id = $2) AS taken),
         claimed AS (
           UPDATE notifications n
              SET status = 'sending', claimed_at = now(), attempts = n.attempts + 1, updated_at = now(),
                  message_id = COALESCE(n.message_id, CASE WHEN earlier.taken THEN NULL ELSE $2 END)
             FROM earlier
            WHERE n.batch_key = $1 AND n.status = 'scheduled'
            RETURNING n.id, n.recommendation_id, n.deadline_type, n.deadline_at, n.kind, n.offset_key, n.recipient_id,
                      n.recipient_email, n.attempts, n.send_at, n.message_id)
         SELECT claimed.*, u.name AS recipient_name FROM claimed LEFT JOIN users u ON u.id = claimed.recipient_id
          ORDER BY claimed.deadline_at, claimed.id`,
        [batchKey, batchId],
      );
      const late = rows.filter((r) => r.message_id === null);
      if (late.length === 0) return rows;
      const lateIds = late.map((r) => r.id).sort();
      const messageId = messageIdFor(`${batchKey}|${lateIds.join(',')}`, this.config.env.MAIL_FROM);
      await manager.query(`UPDATE notifications SET message_id = $2 WHERE id = ANY($1::uuid[])`, [lateIds, messageId]);
      for (const row of late) row.message_id = messageId;
      return rows;
    });
  }

  private async recommendationContent(claimed: LedgerRow[], now: Date): Promise<Prepared | null> {
    const recIds = [...new Set(claimed.map((r) => r.recommendation_id).filter((id): id is string => id !== null))];
    const recs: RecommendationRow[] = await this.db.query(`${RECOMMENDATION_SQL} WHERE r.id = ANY($1::uuid[])`, [recIds]);
    const byId = new Map(recs.map((r) => [r.id, r]));
    const due: { row: LedgerRow; rec: RecommendationRow }[] = [];
    const stale: { id: string; reason: string }[] = [];
    for (const row of claimed) {
      const rec = row.recommendation_id ? byId.get(row.recommendation_id) : undefined;
      if (!rec) {
        stale.push({ id: row.id, reason: 'stale: the recommendation no longer exists' });
      } else if (!isStillDue({ kind: row.kind, deadlineType: row.deadline_type, deadlineAt: row.deadline_at }, toDeadlines(rec), now)) {
        stale.push({ id: row.id, reason: `stale: no longer due (${rec.reference} is ${rec.status}; its deadlines changed or passed)` });
      } else {
        due.push({ row, rec });
      }
    }
    await this.cancel(stale);
    if (due.length === 0) return null;

    const overdueKind = claimed[0].kind === NotificationKind.Overdue || claimed[0].kind === NotificationKind.Escalation;
    const items: EmailItem[] = due.map(({ row, rec }) => ({
      ...itemFor(rec),
      deadlineType: row.deadline_type as EmailDeadlineType,
      deadlineAt: row.deadline_at,
      daysOverdue: overdueKind ? daysBetween(row.deadline_at, now) : null,
    }));
    return { content: this.content(claimed[0], items), rows: due.map((d) => d.row), recommendations: due.map((d) => d.rec) };
  }

  /** The weekly summary: what the manager may see that is overdue now, most overdue first. */
  private async summaryContent(claimed: LedgerRow[], now: Date): Promise<Prepared | null> {
    const [row] = claimed;
    const users: { role: Role; organisation_ids: string[] }[] = await this.db.query(
      `SELECT u.role, coalesce(array_agg(uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS organisation_ids
         FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id WHERE u.id = $1 GROUP BY u.id`,
      [row.recipient_id],
    );
    const user = users[0];
    if (!user || user.role !== Role.Manager) {
      await this.cancel(claimed.map((r) => ({ id: r.id, reason: 'stale: the recipient is no longer a manager' })));
      return null;
    }
    const visible = visibleOrganisations({ id: row.recipient_id, role: user.role, organisationIds: user.organisation_ids });
    const recs: RecommendationRow[] = await this.db.query(
      `${RECOMMENDATION_SQL}
        WHERE r.next_deadline_at < $1 AND ($2::uuid[] IS NULL OR r.organisation_id = ANY($2::uuid[]))
        ORDER BY r.next_deadline_at, r.id LIMIT ${SUMMARY_MAX_ITEMS}`,
      [now, visible === 'all' ? null : visible],
    );
    if (recs.length === 0) {
      await this.cancel(claimed.map((r) => ({ id: r.id, reason: 'nothing overdue to summarise' })));
      return null;
    }
    const items = recs.map((rec): EmailItem => {
      // The earliest active deadline is the one missed first: the one the overdue list sorts by.
      const missed = activeDeadlines(toDeadlines(rec)).find((d) => d.at.getTime() === rec.next_deadline_at?.getTime());
      const deadlineAt = missed?.at ?? rec.next_deadline_at ?? rec.due_at;
      return { ...itemFor(rec), deadlineType: missed?.type ?? DeadlineType.DueDate, deadlineAt, daysOverdue: daysBetween(deadlineAt, now) };
    });
    return { content: this.content(row, items), rows: claimed, recommendations: [] };
  }

  private content(row: LedgerRow, items: EmailItem[]): EmailContent {
    return {
      kind: row.kind,
      // The ledger's address: the ledger says who was told, so that is where the email goes.
      recipient: { name: row.recipient_name ?? row.recipient_email, email: row.recipient_email },
      items,
      appBaseUrl: this.config.env.APP_BASE_URL,
    };
  }

  /** Records delivery and, for escalations, plans the next rung of the ladder in the same transaction. */
  private async recordSent({ rows, recommendations }: Prepared, messageId: string, now: Date): Promise<void> {
    const ids = rows.map((r) => r.id);
    const markSent = (manager: EntityManager) =>
      manager.query(
        `UPDATE notifications SET status = 'sent', sent_at = now(), message_id = $2, last_error = NULL, updated_at = now()
          WHERE id = ANY($1::uuid[]) AND status IN ('sending', 'scheduled')`,
        [ids, messageId],
      );
    // Most emails plan nothing further: one statement, no transaction.
    if (!rows.some((r) => r.kind === NotificationKind.Escalation)) {
      await markSent(this.db.manager);
      return;
    }
    let batches: BatchToSchedule[] = [];
    try {
      batches = await this.db.transaction(async (manager) => {
        await markSent(manager);
        return this.planNextEscalations(manager, rows, recommendations, now);
      });
    } catch (err) {
      // The email is out: recording that matters more than the next escalation.
      this.logger.error({ err, messageId }, 'could not plan the next escalation; recording the delivery alone');
      await markSent(this.db.manager);
    }
    await this.scheduler.scheduleBatches(batches);
  }

  private async planNextEscalations(manager: EntityManager, rows: LedgerRow[], recs: RecommendationRow[], now: Date): Promise<BatchToSchedule[]> {
    const escalations = rows.filter((r) => r.kind === NotificationKind.Escalation && r.recommendation_id);
    if (escalations.length === 0) return [];
    const recById = new Map(recs.map((r) => [r.id, r]));
    const planned: PlannedNotification[] = [];
    const audiences = new Map<string, Set<string>>();
    for (const row of escalations) {
      const rec = recById.get(row.recommendation_id!);
      if (!rec) continue;
      let managers = audiences.get(rec.organisation_id);
      if (!managers) {
        managers = new Set((await this.planner.managersWhoSee(manager, rec.organisation_id)).map((m) => m.userId));
        audiences.set(rec.organisation_id, managers);
      }
      // A manager who no longer sees the force is not escalated to again.
      if (!managers.has(row.recipient_id)) continue;
      planned.push(
        nextEscalation(
          {
            recommendationId: rec.id,
            deadlineType: row.deadline_type,
            deadlineAt: row.deadline_at,
            offsetKey: row.offset_key,
            recipientId: row.recipient_id,
            recipientEmail: row.recipient_email,
          },
          this.planner.settings,
          now,
        ),
      );
    }
    const recMap = new Map(recs.map((r) => [r.id, { inspectionId: r.inspection_id, organisationId: r.organisation_id }]));
    return this.planner.insert(manager, planned, recMap);
  }

  /** After a failed attempt: back to `scheduled` for the retry, or `failed` when there will be none. */
  private async release(ids: string[], err: unknown, final: boolean): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = $2, last_error = $3, claimed_at = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
      [ids, final ? 'failed' : 'scheduled', describe(err)],
    );
  }

  private async cancel(rows: { id: string; reason: string }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `UPDATE notifications n SET status = 'cancelled', last_error = c.reason, claimed_at = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS c(id, reason)
        WHERE n.id = c.id AND n.status = 'sending'`,
      [rows.map((r) => r.id), rows.map((r) => r.reason)],
    );
  }
}

function toDeadlines(rec: RecommendationRow) {
  return { status: rec.status, actionPlanDueAt: rec.action_plan_due_at, dueAt: rec.due_at };
}

function itemFor(rec: RecommendationRow): Omit<EmailItem, 'deadlineType' | 'deadlineAt' | 'daysOverdue'> {
  return {
    recommendationId: rec.id,
    organisationName: rec.organisation_name,
    inspectionTitle: rec.inspection_title,
    reference: rec.reference,
    recommendationText: rec.text,
    priority: rec.priority,
  };
}

function daysBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));
}

function describe(err: unknown): string {
  if (err instanceof SmtpDeliveryError) return `${err.permanent ? 'permanent' : 'transient'} SMTP failure${err.responseCode ? ` ${err.responseCode}` : ''}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
