// How the kinds planned from a recommendation's deadlines (NOTIFICATION_KINDS' `planning.from: 'deadlines'`) are timed:
// one rule each, and whom a recommendation's audience gives each audience rule.
import { addDuration, parseIsoDuration, subtractDuration } from '../time/durations.js';
import { nextDailyDigestTime, nextSendTime, type SendWindow } from '../time/send-window.js';
import type { ActiveDeadline } from '../workflow/overdue.js';
import { ReminderDelivery, type NotificationAudience, type NotificationPlanning } from './kinds.js';
import { IMMEDIATE_OFFSET, escalationOffsetKey } from './keys.js';
import type { Role } from '../roles.js';

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

/** Plans one row: its offset key, recipient and send time (the deadline and kind are the caller's). */
export type AddRow = (offsetKey: string, recipient: Recipient, sendAt: Date) => void;
export type DeadlineRule = (
  deadline: ActiveDeadline,
  recipients: readonly Recipient[],
  settings: NotificationSettings,
  now: Date,
  add: AddRow,
) => void;

export const DEADLINE_RULES: Record<Extract<NotificationPlanning, { from: 'deadlines' }>['rule'], DeadlineRule> = {
  before: (deadline, recipients, settings, now, add) => {
    for (const offset of settings.reminderOffsets) {
      const due = subtractDuration(deadline.at, offset);
      // Misfire policy: a reminder whose moment has passed before it is planned is not sent.
      if (due.getTime() <= now.getTime()) continue;
      for (const recipient of recipients) {
        const sendAt =
          recipient.reminderDelivery === ReminderDelivery.DailyDigest
            ? nextDailyDigestTime(settings.sendWindow, due)
            : nextSendTime(settings.sendWindow, due);
        // Held past the deadline it warns of, a reminder is noise: the overdue notice follows instead.
        if (sendAt.getTime() >= deadline.at.getTime()) continue;
        add(offset, recipient, sendAt);
      }
    }
  },
  // Sent once, late if need be, and never held for the send window.
  at: (deadline, recipients, _settings, now, add) => {
    const at = latest(deadline.at, now);
    for (const recipient of uniqueRecipients(recipients)) add(IMMEDIATE_OFFSET, recipient, at);
  },
  ladder: (deadline, recipients, settings, now, add) => {
    const step = escalationStep(deadline.at, settings, now);
    for (const recipient of recipients) add(step.offsetKey, recipient, latest(step.at, now));
  },
};

/** Whom a recommendation's audience gives each audience rule; null for rules its deadlines never plan for. */
export const RECOMMENDATION_AUDIENCE: Record<
  NotificationAudience,
  ((audience: RecommendationAudience) => readonly Recipient[]) | null
> = {
  force_liaison: (a) => a.liaisons,
  lead_inspector: (a) => (a.leadInspector ? [a.leadInspector] : []),
  manager_seeing_force: (a) => a.managers,
  manager: null,
  force_member: null,
  recipient_named: null,
};

export interface EscalationStep {
  step: number;
  at: Date;
  offsetKey: string;
}

export function escalationStep(deadlineAt: Date, settings: NotificationSettings, now: Date): EscalationStep {
  // A deadline long past gets one escalation now for the step it has reached, not one per step missed.
  const first = addDuration(deadlineAt, settings.escalateAfter).getTime();
  const everyMs = Math.max(1, parseIsoDuration(settings.escalateEvery).toMillis());
  let step = Math.max(0, Math.floor((now.getTime() - first) / everyMs));
  // The estimate is exact for fixed units; calendar months need a nudge either way.
  while (step > 0 && escalationStepAt(deadlineAt, settings, step).at.getTime() > now.getTime()) step -= 1;
  while (escalationStepAt(deadlineAt, settings, step + 1).at.getTime() <= now.getTime()) step += 1;
  return escalationStepAt(deadlineAt, settings, step);
}

export function escalationStepAt(deadlineAt: Date, settings: NotificationSettings, step: number): EscalationStep {
  const every = parseIsoDuration(settings.escalateEvery).mapUnits((value) => value * step);
  const at = addDuration(addDuration(deadlineAt, settings.escalateAfter), every);
  return { step, at, offsetKey: escalationOffsetKey(step) };
}

export function latest(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}

export function uniqueRecipients(recipients: readonly Recipient[]): Recipient[] {
  return [...new Map(recipients.map((r) => [r.userId, r])).values()];
}
