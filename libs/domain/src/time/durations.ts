import { DateTime, Duration } from 'luxon';
import { invalidInput } from '../errors/domain-error.js';

/** Calendar arithmetic ("six weeks", "three months") is done in this zone, per the API contract. */
export const LONDON = 'Europe/London';

// Luxon alone accepts 'P', 'PT', negatives and fractional months, none of which is a sensible deadline offset.
const ISO_DURATION = /^P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

export function parseIsoDuration(text: string, field = 'duration'): Duration {
  const duration = typeof text === 'string' && ISO_DURATION.test(text) ? Duration.fromISO(text) : undefined;
  if (!duration?.isValid) throw invalidInput(`${field} must be an ISO 8601 duration such as P6W`);
  return duration;
}

/** A comma-separated list such as REMINDER_OFFSETS='P14D,P7D,P1D'. */
export function parseDurationList(text: string, field = 'durations'): Duration[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => parseIsoDuration(part.trim(), field));
}

const toDuration = (duration: Duration | string): Duration =>
  typeof duration === 'string' ? parseIsoDuration(duration) : duration;

// Four-digit years: what ISO 8601 text (and PostgreSQL) take without extensions.
const MAX_YEAR = 9999;

function toDate(result: DateTime): Date {
  if (!result.isValid || result.toUTC().year > MAX_YEAR || result.toUTC().year < 1) throw invalidInput('date must be a valid date within range');
  return result.toJSDate();
}

/**
 * Days, weeks, months and years move the London wall-clock date (months clamp to the month's end, and
 * 09:00 stays 09:00 across a clock change); hours, minutes and seconds are exact elapsed time.
 */
export const addDuration = (at: Date, duration: Duration | string): Date =>
  toDate(DateTime.fromJSDate(at, { zone: LONDON }).plus(toDuration(duration)));

export const subtractDuration = (at: Date, duration: Duration | string): Date =>
  toDate(DateTime.fromJSDate(at, { zone: LONDON }).minus(toDuration(duration)));
