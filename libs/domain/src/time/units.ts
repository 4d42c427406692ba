// Fixed lengths of time for elapsed-time arithmetic; calendar arithmetic (days that move with the clocks) goes through
// luxon in London.
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const DAY_SECONDS = DAY_MS / SECOND_MS;

/** Whole 24-hour days from `from` to `to`, counted down and never negative (an overdue notice's "N days"). */
export const wholeDaysBetween = (from: Date | number, to: Date | number): number =>
  Math.max(0, Math.floor((Number(to) - Number(from)) / DAY_MS));
