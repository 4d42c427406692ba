import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, NOTIFICATION_SCHEDULER, NotificationPlanner, RECIPIENT_ENTITLED_SQL, type BatchToSchedule, type Clock, type NotificationScheduler } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  DeadlineType,
  NotificationKind,
  Role,
  activeDeadlines,
  batchWindowStart,
  isStillDue,
  nextEscalation,
  retryDelayMs,
  visibleOrganisations,
  type PlannedNotification,
  type RecommendationStatus,
} from '#domain';
import { Mailer, SmtpDeliveryError, messageIdFor, renderEmail, type EmailContent, type EmailDeadlineType, type EmailItem } from '#notifications';
import { JOB_QUEUE, JobName, OnJob, QUEUES, addDrainJobs, type JobOutcome, type JobPayloads, type QueueMap } from '#scheduling';

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
  batch_key: string;
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

interface Stale {
  id: string;
  reason: string;
}

/** What an email is about; `content` is null when every row turned out stale. */
interface Prepared {
  content: EmailContent | null;
  /** The rows the email is about (not the stale ones). */
  rows: LedgerRow[];
  recommendations: RecommendationRow[];
  stale: Stale[];
}

/** How one email ended. The round records every outcome together, in a few statements. */
type Outcome =
  | { status: 'sent'; messageId: string; prepared: Prepared }
  | { status: 'refused'; messageId: string; rows: LedgerRow[]; err: unknown; permanent: boolean; stale: Stale[] }
  | { status: 'stale'; stale: Stale[] };

const DAY_MS = 86_400_000;
/** A notice that transient SMTP failures kept from its recipient for this long (and JOB_ATTEMPTS tries) is recorded as failed. */
export const GIVE_UP_AFTER_MS = DAY_MS;
/** A weekly summary lists the most overdue; the rest are one click away in the tracker. */
export const SUMMARY_MAX_ITEMS = 200;
/**
 * Batches claimed per round: enough that the claim and the bookkeeping cost little per email, few enough
 * that a crash leaves little to resend (under the same Message-IDs).
 */
export const CLAIM_BATCHES = 50;
/** Due rows a claim looks at: room for the batches other drains hold locked at that moment. */
const CANDIDATE_ROWS = CLAIM_BATCHES * 4;

const RECOMMENDATION_SQL = `
  SELECT r.id, r.status, r.action_plan_due_at, r.due_at, r.next_deadline_at, r.reference, r.text, r.priority,
         r.inspection_id, r.organisation_id, i.title AS inspection_title, o.name AS organisation_name
    FROM recommendations r
    JOIN inspections i ON i.id = r.inspection_id
    JOIN organisations o ON o.id = r.organisation_id`;

/**
 * Sends what the ledger says is due, in rounds: claim up to CLAIM_BATCHES due batches, send their emails
 * at once, record the outcomes. The claim is the only guard against doubles: whatever BullMQ does
 * (duplicate jobs, stalls, retries), a row is sent only by the worker that moved it to `sending`.
 */
@Injectable()
export class DispatchService {
  private readonly logger = new Logger(DispatchService.name);
  private stopping = false;

  constructor(
    private readonly db: DataSource,
    private readonly mailer: Mailer,
    private readonly planner: NotificationPlanner,
    @Inject(NOTIFICATION_SCHEDULER) private readonly scheduler: NotificationScheduler,
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnJob(JobName.DispatchDue)
  handle(job: Job<JobPayloads[JobName.DispatchDue]>): Promise<JobOutcome> {
    return this.drain(job.data);
  }

  /** On shutdown: a drain finishes its round, then stops and leaves the rest to its job's retry elsewhere. */
  stopDraining(): void {
    this.stopping = true;
  }

  /** Sends, round after round, every batch due by the slot (or by now, if this runs late). */
  async drain({ slot, drain }: JobPayloads[JobName.DispatchDue]): Promise<JobOutcome> {
    let rounds = 0;
    for (;;) {
      if (this.stopping) throw new Error('the worker is stopping: what is still due is left to this job’s retry');
      const now = this.clock.now();
      const claimed = await this.claim(slot, now);
      if (claimed.batches === 0) break;
      rounds += 1;
      // A burst: let the other drains of this slot (and so the other workers) share it.
      if (rounds === 1 && drain === 0 && claimed.batches === CLAIM_BATCHES) await this.addHelpers(slot);
      const { sent, refused } = await this.deliverRound(claimed.rows, now);
      if (sent === 0 && refused > 0) {
        // The server refuses everything: its retries are scheduled; hammering it now helps nobody.
        this.logger.warn({ slot, drain, refused }, 'every email of a round was refused for now; the rest waits for the retries');
        break;
      }
    }
    return rounds > 0 ? 'success' : 'skipped';
  }

  private async addHelpers(slot: number): Promise<void> {
    const helpers = Array.from({ length: this.config.env.DISPATCH_DRAINS - 1 }, (_, i) => ({ slot, drain: i + 1 }));
    try {
      await addDrainJobs(this.queues[JOB_QUEUE[JobName.DispatchDue]], this.config, helpers);
    } catch (err) {
      this.logger.warn({ err, slot }, 'could not add helper drains; this one carries on alone');
    }
  }

  /**
   * Atomic per batch: of two workers after the same batch, one gets its rows and the other nothing. The
   * Message-ID is fixed here, before sending, and kept: a resend after a crash or a retry carries the same
   * one. A batch's first email takes the batch's id; rows that join after it went get an id of their own,
   * so no two different emails ever share one.
   */
  private async claim(slot: number, now: Date): Promise<{ batches: number; rows: LedgerRow[] }> {
    // Batches whose window closed by the slot, or by now for a drain that runs late; retries that are due.
    const windowsBefore = new Date(Math.max(slot, batchWindowStart(now, this.config.digestWindowMs).getTime()));
    const retriesBy = new Date(Math.max(slot, now.getTime()));
    return this.db.transaction(async (manager) => {
      // The oldest due rows only (a scan of all of them, per round, made a burst quadratic); of their
      // batches, those another worker is claiming right now are skipped, not waited for.
      const keys: { batch_key: string }[] = await manager.query(
        `SELECT batch_key FROM (
           SELECT DISTINCT batch_key FROM (
             SELECT batch_key FROM notifications
              WHERE status = 'scheduled' AND send_at < $1 AND (retry_at IS NULL OR retry_at <= $2)
              ORDER BY send_at LIMIT $4) oldest) due
          WHERE pg_try_advisory_xact_lock(hashtext(batch_key))
          LIMIT $3`,
        [windowsBefore, retriesBy, CLAIM_BATCHES, CANDIDATE_ROWS],
      );
      if (keys.length === 0) return { batches: 0, rows: [] };
      const batchKeys = keys.map((k) => k.batch_key);
      // A new statement after the locks, so its snapshot sees every earlier claim of these batches.
      const rows: LedgerRow[] = await manager.query(
        `WITH claimed AS (
           UPDATE notifications n
              SET status = 'sending', claimed_at = now(), attempts = n.attempts + 1, updated_at = now(),
                  message_id = COALESCE(n.message_id, CASE WHEN EXISTS (
                    SELECT 1 FROM notifications e WHERE e.batch_key = b.batch_key AND e.message_id = b.message_id) THEN NULL ELSE b.message_id END)
             FROM unnest($1::text[], $2::text[]) AS b(batch_key, message_id)
            WHERE n.batch_key = b.batch_key AND n.status = 'scheduled' AND (n.retry_at IS NULL OR n.retry_at <= $3)
            RETURNING n.id, n.recommendation_id, n.deadline_type, n.deadline_at, n.kind, n.offset_key, n.recipient_id,
                      n.recipient_email, n.attempts, n.send_at, n.batch_key, n.message_id)
         SELECT claimed.*, u.name AS recipient_name FROM claimed LEFT JOIN users u ON u.id = claimed.recipient_id
          ORDER BY claimed.deadline_at, claimed.id`,
        [batchKeys, batchKeys.map((key) => messageIdFor(key, this.config.env.MAIL_FROM)), retriesBy],
      );
      await this.nameLateJoiners(manager, rows);
      return { batches: keys.length, rows };
    });
  }

  /** Rows that joined a batch after its first email went: one more email, under an id of its own. */
  private async nameLateJoiners(manager: EntityManager, rows: LedgerRow[]): Promise<void> {
    const lateByBatch = groupBy(
      rows.filter((r) => r.message_id === null),
      (r) => r.batch_key,
    );
    if (lateByBatch.length === 0) return;
    const ids: string[] = [];
    const messageIds: string[] = [];
    for (const late of lateByBatch) {
      const lateIds = late.map((r) => r.id).sort();
      const messageId = messageIdFor(`${late[0].batch_key}|${lateIds.join(',')}`, this.config.env.MAIL_FROM);
      for (const row of late) row.message_id = messageId;
      ids.push(...lateIds);
      messageIds.push(...lateIds.map(() => messageId));
    }
    await manager.query(`UPDATE notifications n SET message_id = l.message_id FROM unnest($1::uuid[], $2::text[]) AS l(id, message_id) WHERE n.id = l.id`, [
      ids,
      messageIds,
    ]);
  }

  /** Sends a round's emails at once (the SMTP pool queues them) and records every outcome. */
  private async deliverRound(claimed: LedgerRow[], now: Date): Promise<{ sent: number; refused: number }> {
    const { rows, unentitled } = await this.splitByEntitlement(claimed);
    const recommendations = await this.loadRecommendations(rows);
    // Nearly always one email per batch; two when rows joined a batch after its first email had gone.
    const outcomes = await Promise.all(groupBy(rows, (r) => r.message_id).map((email) => this.deliver(email, recommendations, now)));
    if (unentitled.length > 0) outcomes.push({ status: 'stale', stale: unentitled });
    await this.record(outcomes, now);
    return {
      sent: outcomes.filter((o) => o.status === 'sent').length,
      refused: outcomes.filter((o) => o.status === 'refused' && !o.permanent).length,
    };
  }

  /**
   * A person deactivated, moved to another force or given another role after a row was planned (or even
   * claimed) receives nothing more: the same rule that re-plans them is checked again just before sending.
   */
  private async splitByEntitlement(claimed: LedgerRow[]): Promise<{ rows: LedgerRow[]; unentitled: Stale[] }> {
    if (claimed.length === 0) return { rows: [], unentitled: [] };
    const refused: { id: string }[] = await this.db.query(
      `SELECT n.id FROM notifications n WHERE n.id = ANY($1::uuid[]) AND NOT ${RECIPIENT_ENTITLED_SQL}`,
      [claimed.map((r) => r.id)],
    );
    if (refused.length === 0) return { rows: claimed, unentitled: [] };
    const refusedIds = new Set(refused.map((r) => r.id));
    return {
      rows: claimed.filter((r) => !refusedIds.has(r.id)),
      unentitled: [...refusedIds].map((id) => ({ id, reason: 'stale: the recipient no longer receives it (deactivated, or their role or organisations changed)' })),
    };
  }

  private async loadRecommendations(rows: LedgerRow[]): Promise<Map<string, RecommendationRow>> {
    const ids = [...new Set(rows.map((r) => r.recommendation_id).filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const recs: RecommendationRow[] = await this.db.query(`${RECOMMENDATION_SQL} WHERE r.id = ANY($1::uuid[])`, [ids]);
    return new Map(recs.map((r) => [r.id, r]));
  }

  /** One email: prepare and send. Never throws: a failure is an outcome to record. */
  private async deliver(claimed: LedgerRow[], recommendations: Map<string, RecommendationRow>, now: Date): Promise<Outcome> {
    const messageId = claimed[0].message_id;
    let stale: Stale[] = [];
    try {
      const prepared =
        claimed[0].kind === NotificationKind.OverdueSummary ? await this.summaryContent(claimed, now) : this.recommendationContent(claimed, recommendations, now);
      stale = prepared.stale;
      if (!prepared.content) return { status: 'stale', stale };
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
      return { status: 'sent', messageId, prepared };
    } catch (err) {
      const permanent = err instanceof SmtpDeliveryError && err.permanent;
      const staleIds = new Set(stale.map((s) => s.id));
      return { status: 'refused', messageId, rows: claimed.filter((r) => !staleIds.has(r.id)), err, permanent, stale };
    }
  }

  private recommendationContent(claimed: LedgerRow[], byId: Map<string, RecommendationRow>, now: Date): Prepared {
    const due: { row: LedgerRow; rec: RecommendationRow }[] = [];
    const stale: Stale[] = [];
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
    if (due.length === 0) return { content: null, rows: [], recommendations: [], stale };

    const overdueKind = claimed[0].kind === NotificationKind.Overdue || claimed[0].kind === NotificationKind.Escalation;
    const items: EmailItem[] = due.map(({ row, rec }) => ({
      ...itemFor(rec),
      deadlineType: row.deadline_type as EmailDeadlineType,
      deadlineAt: row.deadline_at,
      daysOverdue: overdueKind ? daysBetween(row.deadline_at, now) : null,
    }));
    return { content: this.content(claimed[0], items), rows: due.map((d) => d.row), recommendations: due.map((d) => d.rec), stale };
  }

  /** The weekly summary: what the manager may see that is overdue now, most overdue first. */
  private async summaryContent(claimed: LedgerRow[], now: Date): Promise<Prepared> {
    const [row] = claimed;
    const nothing = (reason: string): Prepared => ({ content: null, rows: [], recommendations: [], stale: claimed.map((r) => ({ id: r.id, reason })) });
    const users: { role: Role; organisation_ids: string[] }[] = await this.db.query(
      `SELECT u.role, coalesce(array_agg(uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS organisation_ids
         FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id WHERE u.id = $1 GROUP BY u.id`,
      [row.recipient_id],
    );
    const user = users[0];
    if (!user || user.role !== Role.Manager) return nothing('stale: the recipient is no longer a manager');
    const visible = visibleOrganisations({ id: row.recipient_id, role: user.role, organisationIds: user.organisation_ids });
    const recs: RecommendationRow[] = await this.db.query(
      `${RECOMMENDATION_SQL}
        WHERE r.next_deadline_at < $1 AND ($2::uuid[] IS NULL OR r.organisation_id = ANY($2::uuid[]))
        ORDER BY r.next_deadline_at, r.id LIMIT ${SUMMARY_MAX_ITEMS}`,
      [now, visible === 'all' ? null : visible],
    );
    if (recs.length === 0) return nothing('nothing overdue to summarise');
    const items = recs.map((rec): EmailItem => {
      // The earliest active deadline is the one missed first: the one the overdue list sorts by.
      const missed = activeDeadlines(toDeadlines(rec)).find((d) => d.at.getTime() === rec.next_deadline_at?.getTime());
      const deadlineAt = missed?.at ?? rec.next_deadline_at ?? rec.due_at;
      return { ...itemFor(rec), deadlineType: missed?.type ?? DeadlineType.DueDate, deadlineAt, daysOverdue: daysBetween(deadlineAt, now) };
    });
    return { content: this.content(row, items), rows: claimed, recommendations: [], stale: [] };
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

  /**
   * Writes a round's outcomes back to the ledger, what went out first. If this fails the rows stay
   * `sending`, and after the lease they go out once more under the same Message-IDs.
   */
  private async record(outcomes: Outcome[], now: Date): Promise<void> {
    const sent = outcomes.filter((o): o is Extract<Outcome, { status: 'sent' }> => o.status === 'sent');
    const escalating = sent.filter((o) => o.prepared.rows.some((r) => r.kind === NotificationKind.Escalation));
    await markSent(
      this.db.manager,
      sent.filter((o) => !escalating.includes(o)).flatMap((o) => o.prepared.rows.map((r) => r.id)),
    );
    for (const outcome of escalating) await this.recordEscalation(outcome.prepared, outcome.messageId, now);
    await this.cancel(outcomes.flatMap((o) => (o.status === 'sent' ? o.prepared.stale : o.stale)));
    await this.recordRefusals(
      outcomes.filter((o): o is Extract<Outcome, { status: 'refused' }> => o.status === 'refused'),
      now,
    );
  }

  /** Records delivery and plans the next rung of the ladder in the same transaction. */
  private async recordEscalation({ rows, recommendations }: Prepared, messageId: string, now: Date): Promise<void> {
    const ids = rows.map((r) => r.id);
    let batches: BatchToSchedule[] = [];
    try {
      batches = await this.db.transaction(async (manager) => {
        await markSent(manager, ids);
        return this.planNextEscalations(manager, rows, recommendations, now);
      });
    } catch (err) {
      // The email is out: recording that matters more than the next escalation.
      this.logger.error({ err, messageId }, 'could not plan the next escalation; recording the delivery alone');
      await markSent(this.db.manager, ids);
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

  /**
   * A 5xx is final at once. Anything else waits in the ledger for its retry (backing off), and is given up
   * as `failed` only once it has had JOB_ATTEMPTS tries and is a day late: an outage is waited out.
   */
  private async recordRefusals(refusals: Extract<Outcome, { status: 'refused' }>[], now: Date): Promise<void> {
    if (refusals.length === 0) return;
    const updates: { id: string; status: 'failed' | 'scheduled'; error: string; retryAt: Date | null }[] = [];
    for (const { rows, err, permanent, messageId } of refusals) {
      if (permanent) this.logger.warn({ err, messageId, rows: rows.length }, 'the SMTP server refused the message for good: recorded as failed');
      else this.logger.warn({ err, messageId, rows: rows.length }, 'delivery failed for now; it will be retried');
      for (const row of rows) {
        const givenUp = row.attempts >= this.config.env.JOB_ATTEMPTS && now.getTime() - row.send_at.getTime() > GIVE_UP_AFTER_MS;
        const retry = !permanent && !givenUp;
        updates.push({
          id: row.id,
          status: retry ? 'scheduled' : 'failed',
          error: describe(err),
          retryAt: retry ? new Date(now.getTime() + retryDelayMs(row.attempts, this.config.env.JOB_BACKOFF_MS)) : null,
        });
      }
    }
    await this.db.query(
      `UPDATE notifications n SET status = u.status, last_error = u.error, retry_at = u.retry_at, claimed_at = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS u(id, status, error, retry_at)
        WHERE n.id = u.id AND n.status = 'sending'`,
      [updates.map((u) => u.id), updates.map((u) => u.status), updates.map((u) => u.error), updates.map((u) => u.retryAt)],
    );
    await this.scheduler.scheduleBatches(updates.flatMap((u) => (u.retryAt ? [{ sendAt: u.retryAt }] : [])));
  }

  private async cancel(rows: Stale[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `UPDATE notifications n SET status = 'cancelled', last_error = c.reason, claimed_at = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS c(id, reason)
        WHERE n.id = c.id AND n.status = 'sending'`,
      [rows.map((r) => r.id), rows.map((r) => r.reason)],
    );
  }
}

function markSent(manager: EntityManager, ids: string[]): Promise<unknown> {
  if (ids.length === 0) return Promise.resolve();
  return manager.query(
    `UPDATE notifications SET status = 'sent', sent_at = now(), last_error = NULL, retry_at = NULL, updated_at = now()
      WHERE id = ANY($1::uuid[]) AND status IN ('sending', 'scheduled')`,
    [ids],
  );
}

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
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
