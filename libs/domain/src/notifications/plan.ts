// Which notifications a recommendation's deadlines call for, when they are still due, and the escalation ladder.
import { MINUTE_MS } from '../time/units.js';
import { activeDeadlines, isOverdueFor, type RecommendationDeadlines } from '../workflow/overdue.js';
import { RecommendationStatus } from '../workflow/states.js';
import {
  DEADLINE_RULES,
  RECOMMENDATION_AUDIENCE,
  escalationStep,
  escalationStepAt,
  latest,
  uniqueRecipients,
  type NotificationSettings,
  type Recipient,
  type RecommendationAudience,
} from './deadline-rules.js';
import { ALL_NOTIFICATION_KINDS, DeadlineType, NOTIFICATION_KINDS, NotificationKind } from './kinds.js';
import { IMMEDIATE_OFFSET, batchKeyFor, dedupKeyFor, escalationStepOf } from './keys.js';

export type { NotificationSettings, Recipient, RecommendationAudience } from './deadline-rules.js';

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

/** The kinds planned from a recommendation's deadlines, in the kind table's order, each with its rule and audience. */
const DEADLINE_KINDS = ALL_NOTIFICATION_KINDS.flatMap((kind) => {
  const { planning, audience } = NOTIFICATION_KINDS[kind];
  return planning.from === 'deadlines' ? [{ kind, rule: planning.rule, audienceRules: audience }] : [];
});

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

  // Per deadline, each kind planned from deadlines, in the kind table's order, by its rule (deadline-rules.ts).
  for (const deadline of activeDeadlines(rec)) {
    for (const { kind, rule, audienceRules } of DEADLINE_KINDS) {
      const recipients = audienceRules.flatMap((a) => RECOMMENDATION_AUDIENCE[a]?.(audience) ?? []);
      DEADLINE_RULES[rule](deadline, recipients, settings, now, (offsetKey, recipient, sendAt) =>
        add(deadline.type, deadline.at, kind, offsetKey, recipient, sendAt),
      );
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
    dedupKey: dedupKeyFor(
      recommendationId,
      DeadlineType.ClosureReview,
      proposedAt,
      kind,
      IMMEDIATE_OFFSET,
      leadInspector.userId,
    ),
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
  sent: {
    recommendationId: string;
    deadlineType: DeadlineType;
    deadlineAt: Date;
    offsetKey: string;
    recipientId: string;
    recipientEmail: string;
  },
  settings: NotificationSettings,
  now: Date,
): PlannedNotification {
  const reached = escalationStep(sent.deadlineAt, settings, now);
  const afterSent = escalationStepOf(sent.offsetKey) + 1;
  const step = escalationStepAt(
    sent.deadlineAt,
    settings,
    Math.max(afterSent, reached.at.getTime() <= now.getTime() ? reached.step + 1 : reached.step),
  );
  const kind = NotificationKind.Escalation;
  const sendAt = latest(step.at, now);
  return {
    dedupKey: dedupKeyFor(
      sent.recommendationId,
      sent.deadlineType,
      sent.deadlineAt,
      kind,
      step.offsetKey,
      sent.recipientId,
    ),
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
export function isStillDue(
  entry: LedgerEntry,
  rec: RecommendationDeadlines & { progressAt?: Date | null },
  now: Date,
): boolean {
  // A calendar cancellation is about an event that went away: still due while it stays away (calendar-cancel.ts: a due
  // date comes back when a closed recommendation is reopened; an action plan never comes back).
  if (entry.kind === NotificationKind.CalendarCancel)
    return entry.deadlineType !== DeadlineType.DueDate || rec.status === RecommendationStatus.Closed;
  if (entry.deadlineType === DeadlineType.ClosureReview) return rec.status === RecommendationStatus.ClosureProposed;
  // A stale nudge counts from the last progress: any progress since (or leaving planned) ends it.
  if (entry.deadlineType === DeadlineType.NoProgress)
    return rec.status === RecommendationStatus.Planned && rec.progressAt?.getTime() === entry.deadlineAt.getTime();
  if (entry.deadlineType === DeadlineType.WeeklySummary) return true;
  // A decision was made: telling the force stays worth it whatever happens to the recommendation next.
  if (entry.deadlineType === DeadlineType.Decision) return true;
  const current = activeDeadlines(rec).find((d) => d.type === entry.deadlineType);
  if (!current || current.at.getTime() !== entry.deadlineAt.getTime()) return false;
  const planning = NOTIFICATION_KINDS[entry.kind].planning;
  if (planning.from !== 'deadlines') return true;
  // Before a deadline: while it is ahead; at it or after (overdue notices, escalations): while it stays missed.
  if (planning.rule === 'before') return now.getTime() < current.at.getTime();
  return isOverdueFor(rec, current.type, now) || now.getTime() === current.at.getTime();
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
