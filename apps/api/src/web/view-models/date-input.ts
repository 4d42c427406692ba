// GOV.UK date inputs (Day, Month, Year) to and from instants, read as days in Europe/London.
import { DateTime } from 'luxon';
import { LONDON_ZONE } from '#domain';
import { textField, type FieldMessage } from './form-errors.js';

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export const EMPTY_DATE: DateParts = { day: '', month: '', year: '' };

/** The London calendar day of an instant, as the three boxes show it. */
export function datePartsOf(iso: string | Date | null | undefined): DateParts {
  if (iso == null) return EMPTY_DATE;
  const at = (typeof iso === 'string' ? DateTime.fromISO(iso) : DateTime.fromJSDate(iso)).setZone(LONDON_ZONE);
  return at.isValid ? { day: String(at.day), month: String(at.month), year: String(at.year) } : EMPTY_DATE;
}

/** A plain calendar date (`2026-03-31`, e.g. a target date) as the three boxes show it. */
export function datePartsOfCalendarDate(isoDate: string | null | undefined): DateParts {
  const match = isoDate ? /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate) : null;
  return match ? { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] } : EMPTY_DATE;
}

export function readDateParts(body: unknown, name: string): DateParts {
  return {
    day: textField(body, `${name}-day`).trim(),
    month: textField(body, `${name}-month`).trim(),
    year: textField(body, `${name}-year`).trim(),
  };
}

export const isEmptyDate = (parts: DateParts): boolean => parts.day === '' && parts.month === '' && parts.year === '';

export type ParsedDate = { ok: true; date: string } | { ok: false; error: FieldMessage };

/**
 * The calendar date (`YYYY-MM-DD`) the boxes name, or the GOV.UK message for what is wrong, linking
 * to the first box at fault. `label` is the field's label as a person reads it ("Target date").
 */
export function parseDateParts(parts: DateParts, field: string, label: string, anchorPrefix = field): ParsedDate {
  const fail = (text: string, box: keyof DateParts = 'day'): ParsedDate => ({
    ok: false,
    error: { field, text, anchor: `${anchorPrefix}-${box}` },
  });
  if (isEmptyDate(parts)) return fail(`Enter the ${label.toLowerCase()}`);
  const missing = (['day', 'month', 'year'] as const).filter((box) => parts[box] === '');
  if (missing.length > 0) return fail(`${label} must include a ${missing.join(' and ')}`, missing[0]);
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) {
    const box = !/^\d{1,2}$/.test(parts.day) ? 'day' : !/^\d{1,2}$/.test(parts.month) ? 'month' : 'year';
    return fail(box === 'year' ? `${label} year must be 4 numbers, like 2026` : `${label} must be a real date`, box);
  }
  const date = DateTime.fromObject(
    { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) },
    { zone: 'UTC' },
  );
  if (!date.isValid) return fail(`${label} must be a real date`);
  if (date.year < 1900 || date.year > 2200) return fail(`${label} must be between the years 1900 and 2200`, 'year');
  return { ok: true, date: date.toISODate() };
}

/** The start of a calendar day in London, as deadlines derived by the domain fall at a day's start. */
export function londonStartOfDay(isoDate: string): Date {
  return DateTime.fromISO(isoDate, { zone: LONDON_ZONE }).startOf('day').toJSDate();
}

/** The London calendar day of an instant, `YYYY-MM-DD`: to tell whether a date box was changed. */
export function londonDay(iso: string | Date): string {
  return (typeof iso === 'string' ? DateTime.fromISO(iso) : DateTime.fromJSDate(iso)).setZone(LONDON_ZONE).toISODate()!;
}
