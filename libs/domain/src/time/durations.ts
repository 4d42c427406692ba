// The one ISO 8601 duration parser (payloads and settings), and duration arithmetic in London.
import { DateTime, Duration } from 'luxon';
import { invalidInput } from '../errors/domain-error.js';
import { LONDON_ZONE } from './london-zone.js';

// Luxon alone accepts 'P', 'PT', negatives and fractional months, none of which is a sensible deadline offset.
const ISO_DURATION =
  /^P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

export function parseIsoDuration(text: string, field = 'duration'): Duration {
  const duration = typeof text === 'string' && ISO_DURATION.test(text) ? Duration.fromISO(text) : undefined;
  if (!duration?.isValid) throw invalidInput(`${field} must be an ISO 8601 duration such as P6W`);
  return duration;
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  eighteen: 18,
  'twenty-four': 24,
};
const UNIT_LETTER: Record<string, string> = { day: 'D', week: 'W', month: 'M', year: 'Y' };
const PERIOD_IN_WORDS = /^(?:within )?(\d{1,4}|[a-z-]+) ?(day|week|month|year)s?$/;

/**
 * A period as people write it (`3 months`, `42 Days`, `within six weeks`) as the ISO 8601 duration it
 * means (`P3M`); null when the text is no such period, or no time at all (`0 weeks`).
 */
export function periodFromWords(text: string): string | null {
  const words = PERIOD_IN_WORDS.exec(text.trim().toLowerCase().replace(/\s+/g, ' '));
  const count = words ? (/^\d+$/.test(words[1]) ? Number(words[1]) : NUMBER_WORDS[words[1]]) : undefined;
  return words && count ? `P${count}${UNIT_LETTER[words[2]]}` : null;
}

/**
 * A duration that configures a period (a lease, an offset, a window): longer than zero, in whole
 * calendar units. Zero fires constantly or never; a fraction of a day, week, month or year ("P0.5D") is
 * not calendar arithmetic, so only seconds may have one (PT0.3S is exactly 300 ms).
 */
export function parsePositiveDuration(text: string, field = 'duration'): Duration {
  const shape = `${field} must be a positive ISO 8601 duration in whole units (seconds may have a fraction), such as P7D or PT10S`;
  if (typeof text !== 'string' || text.includes(',') || text.includes('-') || !ISO_DURATION.test(text))
    throw invalidInput(shape);
  const duration = parseIsoDuration(text, field);
  if (!(duration.toMillis() > 0)) throw invalidInput(`${field} must be longer than zero`);
  return duration;
}

/** A comma-separated list of positive durations, such as REMINDER_OFFSETS='P14D,P7D,P1D' (empty: none). */
export function parsePositiveDurationList(text: string, field = 'durations'): Duration[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => parsePositiveDuration(part.trim(), field));
}

// Offsets come from a handful of settings, used for every deadline: each string is parsed once.
const parsedDurations = new Map<string, Duration>();

function toDuration(duration: Duration | string): Duration {
  if (typeof duration !== 'string') return duration;
  let parsed = parsedDurations.get(duration);
  if (!parsed) {
    parsed = parseIsoDuration(duration);
    if (parsedDurations.size < 1000) parsedDurations.set(duration, parsed);
  }
  return parsed;
}

// Four-digit years: what ISO 8601 text (and PostgreSQL) take without extensions.
const MAX_YEAR = 9999;

function toDate(result: DateTime): Date {
  const date = result.toJSDate();
  const year = date.getUTCFullYear();
  if (!result.isValid || !(year >= 1 && year <= MAX_YEAR)) throw invalidInput('date must be a valid date within range');
  return date;
}

/**
 * Days, weeks, months and years move the London wall-clock date (months clamp to the month's end, and
 * 09:00 stays 09:00 across a clock change); hours, minutes and seconds are exact elapsed time.
 */
export const addDuration = (at: Date, duration: Duration | string): Date =>
  toDate(DateTime.fromJSDate(at, { zone: LONDON_ZONE }).plus(toDuration(duration)));

export const subtractDuration = (at: Date, duration: Duration | string): Date =>
  toDate(DateTime.fromJSDate(at, { zone: LONDON_ZONE }).minus(toDuration(duration)));
