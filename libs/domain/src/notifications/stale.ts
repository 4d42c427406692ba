// "No recent progress": when a planned recommendation counts as stale, and the one nudge per period its liaison
// officers get.
import { addDuration, parseIsoDuration, subtractDuration } from '../time/durations.js';
import { nextDailyDigestTime, nextSendTime } from '../time/send-window.js';
import { RecommendationStatus } from '../workflow/states.js';
import { DeadlineType, NotificationKind, ReminderDelivery } from './kinds.js';
import { batchKeyFor, dedupKeyFor } from './keys.js';
import type { NotificationSettings, PlannedNotification, Recipient } from './plan.js';

/** The default of STALE_AFTER. */
export const DEFAULT_STALE_AFTER = 'P30D';

export interface ProgressFacts {
  status: string;
  /** When the force last acted on it while planned (null when it never was). */
  progressAt: Date | null;
}

/** Is this a planned recommendation whose last progress is at least `staleAfter` old? */
export function hasNoRecentProgress(rec: ProgressFacts, now: Date, staleAfter: string): boolean {
  if (rec.status !== RecommendationStatus.Planned || !rec.progressAt) return false;
  return rec.progressAt.getTime() <= staleBefore(now, staleAfter).getTime();
}

/** Progress at or before this is not recent (the lists' queries compare `progress_at` with it). */
export function staleBefore(now: Date, staleAfter: string): Date {
  return subtractDuration(now, staleAfter);
}

/** The moment the `period`-th stale period since `progressAt` ends (period 1 is STALE_AFTER after it). */
export function stalePeriodAt(progressAt: Date, staleAfter: string, period: number): Date {
  return addDuration(
    progressAt,
    parseIsoDuration(staleAfter).mapUnits((value) => value * period),
  );
}

/** The last period `now` has reached (at least 1: the first, even while it is still ahead). */
export function stalePeriodReached(progressAt: Date, staleAfter: string, now: Date): number {
  const everyMs = Math.max(1, parseIsoDuration(staleAfter).toMillis());
  let period = Math.max(1, Math.floor((now.getTime() - progressAt.getTime()) / everyMs));
  // Exact for fixed units; calendar months need a nudge either way.
  while (period > 1 && stalePeriodAt(progressAt, staleAfter, period).getTime() > now.getTime()) period -= 1;
  while (stalePeriodAt(progressAt, staleAfter, period + 1).getTime() <= now.getTime()) period += 1;
  return period;
}

export const stalePeriodKey = (period: number): string => `period-${period}`;

/** The number in a stale nudge's offset key (`period-3` → 3). */
export function stalePeriodOf(offsetKey: string): number {
  const match = /^period-(\d+)$/.exec(offsetKey);
  return match ? Number(match[1]) : 0;
}

/**
 * The nudge of the period `now` has reached (or the first, still ahead), to each liaison officer. Its
 * deadline is the last progress (so any progress makes it stale), its offset the period, so each period is
 * one row per person in the ledger: planned again after any change, it is never sent twice.
 */
export function planStaleNudges(
  rec: ProgressFacts & { id: string },
  liaisons: readonly Recipient[],
  settings: NotificationSettings,
  now: Date,
): PlannedNotification[] {
  if (!settings.staleAfter || rec.status !== RecommendationStatus.Planned || !rec.progressAt) return [];
  const period = stalePeriodReached(rec.progressAt, settings.staleAfter, now);
  return liaisons.map((liaison) => staleNudge(rec.id, rec.progressAt!, period, liaison, settings, now));
}

/** After a nudge went out, the next period's (never one already reached and sent). */
export function nextStaleNudge(
  sent: { recommendationId: string; progressAt: Date; offsetKey: string; recipient: Recipient },
  settings: NotificationSettings & { staleAfter: string },
  now: Date,
): PlannedNotification {
  const reached = stalePeriodReached(sent.progressAt, settings.staleAfter, now);
  const period = Math.max(stalePeriodOf(sent.offsetKey) + 1, reached);
  return staleNudge(sent.recommendationId, sent.progressAt, period, sent.recipient, settings, now);
}

function staleNudge(
  recommendationId: string,
  progressAt: Date,
  period: number,
  liaison: Recipient,
  settings: NotificationSettings,
  now: Date,
): PlannedNotification {
  const kind = NotificationKind.Stale;
  const offsetKey = stalePeriodKey(period);
  const due = new Date(Math.max(stalePeriodAt(progressAt, settings.staleAfter!, period).getTime(), now.getTime()));
  const sendAt =
    liaison.reminderDelivery === ReminderDelivery.DailyDigest
      ? nextDailyDigestTime(settings.sendWindow, due)
      : nextSendTime(settings.sendWindow, due);
  return {
    dedupKey: dedupKeyFor(recommendationId, DeadlineType.NoProgress, progressAt, kind, offsetKey, liaison.userId),
    recommendationId,
    deadlineType: DeadlineType.NoProgress,
    deadlineAt: progressAt,
    kind,
    offsetKey,
    recipientId: liaison.userId,
    recipientEmail: liaison.email,
    sendAt,
    batchKey: batchKeyFor(kind, liaison.userId, sendAt, settings.digestWindowMs),
  };
}
