// The send window: when reminders and digests may go (working hours on English working days).
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { invalidInput } from '../errors/domain-error.js';
import { LONDON_ZONE } from './london-zone.js';
import { MINUTE_MS, SECOND_MS } from './units.js';

/** When reminders and digests may be emailed; minutes are after London midnight, on working days only. */
export type SendWindow = { kind: 'always' } | { kind: 'working_hours'; startMinutes: number; endMinutes: number };

export const DEFAULT_SEND_WINDOW: SendWindow = { kind: 'working_hours', startMinutes: 8 * 60, endMinutes: 18 * 60 };

/** With no window to open, a daily digest still goes out at the start of a normal working day. */
const ALWAYS_DIGEST_MINUTES = 8 * 60;

const WINDOW = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const WINDOW_MESSAGE = 'SEND_WINDOW must be "always" or "HH:MM-HH:MM"';

export function parseSendWindow(text: string | undefined): SendWindow {
  const value = text?.trim() ?? '';
  if (value === '') return { ...DEFAULT_SEND_WINDOW };
  if (value === 'always') return { kind: 'always' };
  const match = WINDOW.exec(value);
  if (!match) throw invalidInput(WINDOW_MESSAGE);
  const [startH, startM, endH, endM] = match.slice(1).map(Number) as [number, number, number, number];
  const startMinutes = startH * 60 + startM;
  const endMinutes = endH * 60 + endM;
  // The end may be 24:00 (midnight at the end of the day); nothing later.
  if (startH > 23 || startM > 59 || endM > 59 || endMinutes > 24 * 60) throw invalidInput(WINDOW_MESSAGE);
  // Overnight windows would span two calendar days with different working-day answers; not supported.
  if (startMinutes >= endMinutes) throw invalidInput(`${WINDOW_MESSAGE} with the start before the end`);
  return { kind: 'working_hours', startMinutes, endMinutes };
}

// 'public' is what date-holidays calls England's bank holidays; 'bank' is kept in case a release reclassifies them.
const CLOSED_TYPES = new Set(['public', 'bank']);
let holidays: Holidays | undefined;
const bankHolidaysByYear = new Map<number, Set<string>>();

function bankHolidays(year: number): Set<string> {
  let dates = bankHolidaysByYear.get(year);
  if (!dates) {
    holidays ??= new Holidays('GB', 'ENG');
    // Holiday.date is the local calendar date, 'YYYY-MM-DD 00:00:00'; substitute days are included.
    dates = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => CLOSED_TYPES.has(h.type))
        .map((h) => h.date.slice(0, 10)),
    );
    bankHolidaysByYear.set(year, dates);
  }
  return dates;
}

const inLondon = (at: Date): DateTime => DateTime.fromJSDate(at, { zone: LONDON_ZONE });

const isLondonWorkingDay = (day: DateTime): boolean =>
  day.weekday <= 5 && !bankHolidays(day.year).has(day.toISODate()!);

/** Monday to Friday in London, except the bank holidays of England and Wales. */
export const isWorkingDay = (at: Date): boolean => isLondonWorkingDay(inLondon(at));

export function isInSendWindow(window: SendWindow, at: Date): boolean {
  if (window.kind === 'always') return true;
  const local = inLondon(at);
  const minutes = local.hour * 60 + local.minute + (local.second * SECOND_MS + local.millisecond) / MINUTE_MS;
  return minutes >= window.startMinutes && minutes < window.endMinutes && isLondonWorkingDay(local);
}

/** `at` itself when the window is open, otherwise the moment it next opens. */
export function nextSendTime(window: SendWindow, at: Date): Date {
  if (window.kind === 'always' || isInSendWindow(window, at)) return at;
  return nextOpening(window.startMinutes, true, at);
}

/** The first window opening strictly after `at`; for 'always', the next 08:00 London, any day. */
export function nextDailyDigestTime(window: SendWindow, at: Date): Date {
  return window.kind === 'always'
    ? nextOpening(ALWAYS_DIGEST_MINUTES, false, at)
    : nextOpening(window.startMinutes, true, at);
}

// Christmas plus a weekend plus substitute days never closes more than a handful of days in a row.
const MAX_DAYS_AHEAD = 14;

function nextOpening(startMinutes: number, workingDaysOnly: boolean, at: Date): Date {
  const start = inLondon(at);
  for (let days = 0; days <= MAX_DAYS_AHEAD; days++) {
    // set() on the London date, not startOf('day') + minutes, so a clock change that day cannot shift it.
    const candidate = start
      .plus({ days })
      .set({ hour: Math.floor(startMinutes / 60), minute: startMinutes % 60, second: 0, millisecond: 0 });
    if (candidate.toMillis() > at.getTime() && (!workingDaysOnly || isLondonWorkingDay(candidate))) {
      return candidate.toJSDate();
    }
  }
  throw new Error(`no send window opening within ${MAX_DAYS_AHEAD} days of ${at.toISOString()}`);
}
