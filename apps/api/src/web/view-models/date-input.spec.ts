// Unit tests of the GOV.UK date input: reading and showing dates.
import { describe, expect, it } from '@jest/globals';
import { datePartsOf, datePartsOfCalendarDate, londonDay, londonStartOfDay, parseDateParts } from './date-input.js';

describe('GOV.UK date input', () => {
  it('shows an instant as its London day', () => {
    expect(datePartsOf('2018-08-29T23:30:00Z')).toEqual({ day: '30', month: '8', year: '2018' });
    expect(datePartsOfCalendarDate('2026-03-01')).toEqual({ day: '1', month: '3', year: '2026' });
    expect(datePartsOf(null)).toEqual({ day: '', month: '', year: '' });
  });

  it('reads a real date', () => {
    expect(parseDateParts({ day: '1', month: '3', year: '2026' }, 'targetDate', 'Target date')).toEqual({
      ok: true,
      date: '2026-03-01',
    });
  });

  it.each([
    [{ day: '', month: '', year: '' }, 'Enter the target date', 'targetDate-day'],
    [{ day: '1', month: '', year: '2026' }, 'Target date must include a month', 'targetDate-month'],
    [{ day: '', month: '', year: '2026' }, 'Target date must include a day and month', 'targetDate-day'],
    [{ day: '31', month: '2', year: '2019' }, 'Target date must be a real date', 'targetDate-day'],
    [{ day: 'x', month: '2', year: '2019' }, 'Target date must be a real date', 'targetDate-day'],
    [{ day: '1', month: '2', year: '19' }, 'Target date year must be 4 numbers, like 2026', 'targetDate-year'],
    [{ day: '1', month: '2', year: '1066' }, 'Target date must be between the years 1900 and 2200', 'targetDate-year'],
  ])('refuses %p with "%s"', (parts, text, anchor) => {
    expect(parseDateParts(parts, 'targetDate', 'Target date')).toEqual({
      ok: false,
      error: { field: 'targetDate', text, anchor },
    });
  });

  it('turns a day into the start of that day in London, summer and winter', () => {
    expect(londonStartOfDay('2018-08-30').toISOString()).toBe('2018-08-29T23:00:00.000Z');
    expect(londonStartOfDay('2019-01-15').toISOString()).toBe('2019-01-15T00:00:00.000Z');
    expect(londonDay('2018-08-29T23:30:00Z')).toBe('2018-08-30');
  });
});
