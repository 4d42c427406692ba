// Which notifications a recommendation's deadlines call for, when they are still due, and the escalation ladder.
import { addDuration, parseIsoDuration, subtractDuration } from '../time/durations.js';
import { nextDailyDigestTime, nextSendTime, type SendWindow } from '../time/send-window.js';
import { MINUTE_MS } from '../time/units.js';
import { Role } from '../roles.js';
import { activeDeadlines, isOverdueFor, type RecommendationDeadlines } from '../workflow/overdue.js';
import { RecommendationStatus } from '../workflow/states.js';
import { DeadlineType, NotificationKind, ReminderDelivery } from './kinds.js';
import { IMMEDIATE_OFFSET, batchKeyFor, dedupKeyFor, escalationOffsetKey, escalationStepOf } from './keys.js';

export interface NotificationSettings {
  /** ISO durations before a deadline, e.g. ['P14D', 'P7D', 'P1D']. */
  reminderOffsets: readonly string[];
  escalateAfter: string;
  escalateEvery: string;
  /** Milliseconds: notifications of one kind to one recipient due within one window go out as one email. */
  digestWindowMs: number;
  sendWindow: SendWindow;
  /** STALE_AFTER: a planned recommendation without progress this long gets a nudge per period (none when unset). */
  staleAfter?: string;
}

export interface Recipient {
  userId: string;
  email: string;
  role: Role;
  reminderDelivery: ReminderDelivery;
}

export interface RecommendationAudience {
  liaisons: readonly Recipient[];
  leadInspector: Recipient | null;
  managers: readonly Recipient[];
}

export interface RecommendationForPlanning extends RecommendationDeadlines {
  id: string;
  priority: boolean;
}

/** One row of the delivery ledger, before it is stored. */
export interface PlannedNotification {
  dedupKey: string;
  recommendationId: string;
  deadlineType: DeadlineType;
  deadlineAt: Date;
  kind: NotificationKind;
  offsetKey: string;
  recipientId: string;
  recipientEmail: string;
  sendAt: Date;
  batchKey: string;
}

/** A stored ledger row, as much as the staleness rule needs. */
export interface LedgerEntry {
  kind: NotificationKind;
  deadlineType: DeadlineType;
  deadlineAt: Date;
}

/**
 * Everything a recommendation's active deadlines should notify from `now` on. Idempotent by `dedupKey`:
 * the caller inserts these and ignores the ones the ledger already has, so planning again after any change
 * is safe and a moved deadline gets a fresh series (its dedup keys carry the new date).
 */
export function planRecommendationNotifications(
  rec: RecommendationForPlanning,
  audience: RecommendationAudience,
  settings: NotificationSettings,
  now: Date,
): PlannedNotification[] {
  const planned: PlannedNotification[] = [];
  const add = (
    deadlineType: DeadlineType,
    deadlineAt: Date,
    kind: NotificationKind,
    offsetKey: string,
    recipient: Recipient,
    sendAt: Date,
  ): void => {
    planned.push({
      dedupKey: dedupKeyFor(rec.id, deadlineType, deadlineAt, kind, offsetKey, recipient.userId),
      recommendationId: rec.id,
      deadlineType,
      deadlineAt,
      kind,
      offsetKey,
      recipientId: recipient.userId,
      recipientEmail: recipient.email,
      sendAt,
      batchKey: batchKeyFor(kind, recipient.userId, sendAt, settings.digestWindowMs),
    });
  };

  for (const deadline of activeDeadlines(rec)) {
    for (const offset of settings.reminderOffsets) {
      const due = subtractDuration(deadline.at, offset);
      // Misfire policy: a reminder whose moment has passed before it is planned is not sent.
      if (due.getTime() <= now.getTime()) continue;
      for (const liaison of audience.liaisons) {
        const sendAt =
          liaison.reminderDelivery === ReminderDelivery.DailyDigest
            ? nextDailyDigestTime(settings.sendWindow, due)
            : nextSendTime(settings.sendWindow, due);
        // Held past the deadline it warns of, a reminder is noise: the overdue notice follows instead.
        if (sendAt.getTime() >= deadline.at.getTime()) continue;
        add(deadline.type, deadline.at, NotificationKind.Reminder, offset, liaison, sendAt);
      }
    }

    // Overdue notices are sent once, late if need be, and never held for the send window.
    const overdueAt = latest(deadline.at, now);
    const overdueRecipients = [...audience.liaisons, ...(audience.leadInspector ? [audience.leadInspector] : [])];
    for (const recipient of uniqueRecipients(overdueRecipients)) {
      add(deadline.type, deadline.at, NotificationKind.Overdue, IMMEDIATE_OFFSET, recipient, overdueAt);
    }

    const step = escalationStep(deadline.at, settings, now);
    for (const manager of audience.managers) {
      add(deadline.type, deadline.at, NotificationKind.Escalation, step.offsetKey, manager, latest(step.at, now));
    }
  }
  return planned;
}

/** The closure-review alert for the lead inspector, when a liaison proposes closure. */
export function planReviewNeeded(
  recommendationId: string,
  proposedAt: Date,
  leadInspector: Recipient,
  settings: NotificationSettings,
): PlannedNotification {
  const kind = NotificationKind.ReviewNeeded;
  return {
    dedupKey: dedupKeyFor(recommendationId, DeadlineType.ClosureReview, proposedAt, kind, IMMEDIATE_OFFSET, leadInspector.userId),
    recommendationId,
    deadlineType: DeadlineType.ClosureReview,
    deadlineAt: proposedAt,
    kind,
    offsetKey: IMMEDIATE_OFFSET,
    recipientId: leadInspector.userId,
    recipientEmail: leadInspector.email,
    sendAt: proposedAt,
    batchKey: batchKeyFor(kind, leadInspector.userId, proposedAt, settings.digestWindowMs),
  };
}

/**
 * A decision on a recommendation (returned, closure authorised, closed, reopened), for each of `recipients`
 * (the force's liaisons and the owner, when a user), sent at once: not held for the send window or a digest.
 * Identified by the moment of the decision, so planning it twice in one transaction is one notice each.
 */
export function planDecisionNotices(
  recommendationId: string,
  decidedAt: Date,
  recipients: readonly Recipient[],
  settings: Pick<NotificationSettings, 'digestWindowMs'>,
): PlannedNotification[] {
  const kind = NotificationKind.Decision;
  return uniqueRecipients(recipients).map((recipient) => ({
    dedupKey: dedupKeyFor(recommendationId, DeadlineType.Decision, decidedAt, kind, IMMEDIATE_OFFSET, recipient.userId),
    recommendationId,
    deadlineType: DeadlineType.Decision,
    deadlineAt: decidedAt,
    kind,
    offsetKey: IMMEDIATE_OFFSET,
    recipientId: recipient.userId,
    recipientEmail: recipient.email,
    sendAt: decidedAt,
    batchKey: batchKeyFor(kind, recipient.userId, decidedAt, settings.digestWindowMs),
  }));
}

/**
 * The escalation after the one just sent, while the recommendation stays overdue: the next step on the
 * ladder that is still ahead, so a step sent late (an outage, or settings changed since it was planned)
 * is not followed by a burst of the steps it missed.
 */
export function nextEscalation(
  sent: { recommendationId: string; deadlineType: DeadlineType; deadlineAt: Date; offsetKey: string; recipientId: string; recipientEmail: string },
  settings: NotificationSettings,
  now: Date,
): PlannedNotification {
  const reached = escalationStep(sent.deadlineAt, settings, now);
  const afterSent = escalationStepOf(sent.offsetKey) + 1;
  const step = escalationStepAt(sent.deadlineAt, settings, Math.max(afterSent, reached.at.getTime() <= now.getTime() ? reached.step + 1 : reached.step));
  const kind = NotificationKind.Escalation;
  const sendAt = latest(step.at, now);
  return {
    dedupKey: dedupKeyFor(sent.recommendationId, sent.deadlineType, sent.deadlineAt, kind, step.offsetKey, sent.recipientId),
    recommendationId: sent.recommendationId,
    deadlineType: sent.deadlineType,
    deadlineAt: sent.deadlineAt,
    kind,
    offsetKey: step.offsetKey,
    recipientId: sent.recipientId,
    recipientEmail: sent.recipientEmail,
    sendAt,
    batchKey: batchKeyFor(kind, sent.recipientId, sendAt, settings.digestWindowMs),
  };
}

/**
 * Is a stored notification still worth sending for the recommendation as it now is? Checked when the
 * recommendation changes (to cancel) and again just before sending (a handler skips stale work).
 */
export function isStillDue(entry: LedgerEntry, rec: RecommendationDeadlines & { progressAt?: Date | null }, now: Date): boolean {
  // A calendar cancellation is about an event that went away: still due while it stays away (calendar-cancel.ts: a due
  // date comes back when a closed recommendation is reopened; an action plan never comes back).
  if (entry.kind === NotificationKind.CalendarCancel) return entry.deadlineType !== DeadlineType.DueDate || rec.status === RecommendationStatus.Closed;
  if (entry.deadlineType === DeadlineType.ClosureReview) return rec.status === RecommendationStatus.ClosureProposed;
  // A stale nudge counts from the last progress: any progress since (or leaving planned) ends it.
  if (entry.deadlineType === DeadlineType.NoProgress) return rec.status === RecommendationStatus.Planned && rec.progressAt?.getTime() === entry.deadlineAt.getTime();
  if (entry.deadlineType === DeadlineType.WeeklySummary) return true;
  // A decision was made: telling the force stays worth it whatever happens to the recommendation next.
  if (entry.deadlineType === DeadlineType.Decision) return true;
  const current = activeDeadlines(rec).find((d) => d.type === entry.deadlineType);
  if (!current || current.at.getTime() !== entry.deadlineAt.getTime()) return false;
  if (entry.kind === NotificationKind.Reminder) return now.getTime() < current.at.getTime();
  if (entry.kind === NotificationKind.Overdue || entry.kind === NotificationKind.Escalation) {
    return isOverdueFor(rec, current.type, now) || now.getTime() === current.at.getTime();
  }
  return true;
}

/** An outage is retried at least this often, however long it lasts. */
export const RETRY_DELAY_CAP_MS = 15 * MINUTE_MS;

/**
 * When the SMTP server itself cannot be reached (no reply at all, or 421), the retry is about the server,
 * not the recipient: capped so that what waited out an outage goes within this long of the server's
 * return, however long it was away (one retry per notice per 30 s of outage costs a claim and a refused
 * connection).
 */
export const SERVER_OUTAGE_RETRY_DELAY_CAP_MS = 30_000;

/** Transient failures wait twice as long each time, from `baseMs`, up to `capMs`. */
export function retryDelayMs(attempts: number, baseMs: number, capMs: number = RETRY_DELAY_CAP_MS): number {
  const doublings = Math.min(Math.max(0, attempts - 1), 30);
  return Math.min(capMs, baseMs * 2 ** doublings);
}

function escalationStep(deadlineAt: Date, settings: NotificationSettings, now: Date): EscalationStep {
  // A deadline long past gets one escalation now for the step it has reached, not one per step missed.
  const first = addDuration(deadlineAt, settings.escalateAfter).getTime();
  const everyMs = Math.max(1, parseIsoDuration(settings.escalateEvery).toMillis());
  let step = Math.max(0, Math.floor((now.getTime() - first) / everyMs));
  // The estimate is exact for fixed units; calendar months need a nudge either way.
  while (step > 0 && escalationStepAt(deadlineAt, settings, step).at.getTime() > now.getTime()) step -= 1;
  while (escalationStepAt(deadlineAt, settings, step + 1).at.getTime() <= now.getTime()) step += 1;
  return escalationStepAt(deadlineAt, settings, step);
}

interface EscalationStep {
  step: number;
  at: Date;
  offsetKey: string;
}

function escalationStepAt(deadlineAt: Date, settings: NotificationSettings, step: number): EscalationStep {
  const every = parseIsoDuration(settings.escalateEvery).mapUnits((value) => value * step);
  const at = addDuration(addDuration(deadlineAt, settings.escalateAfter), every);
  return { step, at, offsetKey: escalationOffsetKey(step) };
}

function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

function uniqueRecipients(recipients: readonly Recipient[]): Recipient[] {
  return [...new Map(recipients.map((r) => [r.userId, r])).values()];
}
