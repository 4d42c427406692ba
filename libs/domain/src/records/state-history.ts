// How one recommendation's changes of state add to the monthly open and overdue counts the dashboard draws.
import { DateTime } from 'luxon';
import { LONDON_ZONE } from '../time/london-zone.js';
import { subtractDuration } from '../time/durations.js';

/** What the monthly counts need of a recommendation's state, and since when that state has held. */
export interface TrackedState {
  open: boolean;
  /** Earliest active deadline (the stored next_deadline_at): overdue once it has passed. */
  nextDeadlineAt: Date | null;
  since: Date;
}

/** +1 when a recommendation becomes open/overdue at `at`, -1 when it stops being so. */
export interface StateDelta {
  at: Date;
  open: number;
  overdue: number;
}

const later = (...dates: Date[]): Date => new Date(Math.max(...dates.map((d) => d.getTime())));

/**
 * The deltas of a change from `before` to `after` at `at`. A state counts as open from its `since`, and
 * as overdue from the later of `since` and its deadline, until the next change; a change before a time
 * already counted (a future deadline, an inspection not yet published) cancels that count exactly.
 * Invariant: summing every delta up to time T gives the open and overdue counts at T.
 */
export function stateChangeDeltas(before: TrackedState | null, after: TrackedState | null, at: Date): StateDelta[] {
  const deltas: StateDelta[] = [];
  if (before?.open) {
    deltas.push({ at: later(before.since, at), open: -1, overdue: 0 });
    if (before.nextDeadlineAt)
      deltas.push({ at: later(before.since, before.nextDeadlineAt, at), open: 0, overdue: -1 });
  }
  if (after?.open) {
    deltas.push({ at: after.since, open: 1, overdue: 0 });
    if (after.nextDeadlineAt) deltas.push({ at: later(after.since, after.nextDeadlineAt), open: 0, overdue: 1 });
  }
  return deltas;
}

/** When a state that starts at `at` counts from: not before its recommendation was issued. */
export const stateSince = (at: Date, issuedAt: Date): Date => later(at, issuedAt);

/** The first day of the London month holding `at`, as `YYYY-MM-DD`. */
export function londonMonth(at: Date): string {
  return DateTime.fromJSDate(at, { zone: LONDON_ZONE }).startOf('month').toISODate()!;
}

/** Every London month from `from`'s to `to`'s, inclusive, as `YYYY-MM-DD` month starts. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  let month = DateTime.fromJSDate(from, { zone: LONDON_ZONE }).startOf('month');
  const last = DateTime.fromJSDate(to, { zone: LONDON_ZONE }).startOf('month');
  while (month <= last && months.length < 1200) {
    months.push(month.toISODate()!);
    month = month.plus({ months: 1 });
  }
  return months;
}

/** The instant a London month ends (the start of the next one). */
export function endOfLondonMonth(month: string): Date {
  return DateTime.fromISO(month, { zone: LONDON_ZONE }).startOf('month').plus({ months: 1 }).toJSDate();
}

export const AGE_BANDS = ['under_3_months', '3_to_6_months', '6_to_12_months', 'over_12_months'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The deadlines before which an overdue recommendation falls into the older bands (3, 6, 12 months ago in London). */
export function ageBandBoundaries(now: Date): { threeMonths: Date; sixMonths: Date; twelveMonths: Date } {
  return {
    threeMonths: subtractDuration(now, 'P3M'),
    sixMonths: subtractDuration(now, 'P6M'),
    twelveMonths: subtractDuration(now, 'P12M'),
  };
}

/** The band of a recommendation overdue since `deadline`: how long ago it passed, in London calendar months. */
export function ageBand(deadline: Date, now: Date): AgeBand {
  const b = ageBandBoundaries(now);
  if (deadline >= b.threeMonths) return 'under_3_months';
  if (deadline >= b.sixMonths) return '3_to_6_months';
  if (deadline >= b.twelveMonths) return '6_to_12_months';
  return 'over_12_months';
}
