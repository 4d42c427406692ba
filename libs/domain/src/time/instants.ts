// Instants as clients write them: an offset (or Z) is kept as written; without one, the time is London's.
import { DateTime } from 'luxon';
import { LONDON_ZONE } from './london-zone.js';

// Four-digit years only: PostgreSQL cannot store the extended ones (+275000-01-01).
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

/**
 * An ISO 8601 date or date-time to the instant it names, or null when it names none (30 February, loose
 * formats, years outside 1-9999). `2026-03-31T09:00` and `2026-03-31` carry no offset and mean Europe/London
 * wall-clock time (BST or GMT as the date falls), whatever TZ the process runs in; a London time skipped
 * by the spring change (01:30 on the last Sunday of March) moves forward an hour, as the clocks did.
 */
export function parseIsoInstant(text: string): Date | null {
  const parsed = DateTime.fromISO(text.trim(), { zone: LONDON_ZONE, setZone: true });
  if (!parsed.isValid) return null;
  const year = parsed.toUTC().year;
  return year >= MIN_YEAR && year <= MAX_YEAR ? parsed.toJSDate() : null;
}
