// The duration parser (ISO 8601 and words) and duration arithmetic in London.
import { describe, it, expect } from '@jest/globals';
import { Duration } from 'luxon';
import { expectInvalidInput } from '../../../../test/support/domain-expectations.js';
import {
  addDuration,
  parseIsoDuration,
  parsePositiveDuration,
  parsePositiveDurationList,
  periodFromWords,
  subtractDuration,
} from './durations.js';
import { DAY_SECONDS } from './units.js';

// Instants are written in UTC; comments give the London wall-clock time (GMT = UTC+0, BST = UTC+1).
const utc = (iso: string): Date => new Date(iso);

/** A table row's check: `move` takes `from` by `duration` to `to`. */
const movesTo = (move: typeof addDuration) => (_what: string, from: string, duration: string, to: string) => {
  expect(move(utc(from), duration)).toEqual(utc(to));
};

describe('parseIsoDuration', () => {
  it.each([
    ['P6W', { weeks: 6 }],
    ['P3M', { months: 3 }],
    ['P1D', { days: 1 }],
    ['P14D', { days: 14 }],
    ['PT10S', { seconds: 10 }],
    ['PT1M', { minutes: 1 }],
    ['P1Y2M3DT4H5M6S', { years: 1, months: 2, days: 3, hours: 4, minutes: 5, seconds: 6 }],
  ])('accepts %s', (text, parts) => {
    expect(parseIsoDuration(text).toObject()).toEqual(parts);
  });

  it('accepts P0D as a zero-length duration', () => {
    expect(parseIsoDuration('P0D').as('milliseconds')).toBe(0);
  });

  it.each(['', 'P', 'PT', 'P1DT', '6W', 'P-1D', '-P1D', 'P1.5M', 'p6w', 'P6X', ' P6W', 'P6W ', 'six weeks', 'PT-10S'])(
    'rejects %j, naming the default field',
    (text) => {
      expectInvalidInput(() => parseIsoDuration(text), 'duration must be an ISO 8601 duration such as P6W');
    },
  );

  it('names the given field', () => {
    expectInvalidInput(() => parseIsoDuration('soon', 'ESCALATE_AFTER'), 'ESCALATE_AFTER must be an ISO 8601 duration');
  });

  it('rejects a value that is not a string', () => {
    expectInvalidInput(() => parseIsoDuration(42 as unknown as string, 'timeframe'), 'timeframe');
  });
});

describe('parsePositiveDurationList', () => {
  it('parses a comma-separated list in order', () => {
    const days = parsePositiveDurationList('P14D,P7D,P1D', 'REMINDER_OFFSETS').map((d) => d.as('days'));
    expect(days).toEqual([14, 7, 1]);
  });

  it('trims spaces around items', () => {
    const parsed = parsePositiveDurationList(' P14D , PT10S ', 'REMINDER_OFFSETS');
    expect(parsed.map((d) => d.as('seconds'))).toEqual([14 * DAY_SECONDS, 10]);
  });

  it('gives an empty list for an empty or blank string', () => {
    expect(parsePositiveDurationList('', 'REMINDER_OFFSETS')).toEqual([]);
    expect(parsePositiveDurationList('   ', 'REMINDER_OFFSETS')).toEqual([]);
  });

  it('rejects a bad item, naming the field', () => {
    expectInvalidInput(() => parsePositiveDurationList('P14D,bogus', 'REMINDER_OFFSETS'), 'REMINDER_OFFSETS');
    expectInvalidInput(() => parsePositiveDurationList('P14D,,P1D', 'REMINDER_OFFSETS'), 'REMINDER_OFFSETS');
  });
});

describe('periodFromWords', () => {
  it.each([
    ['3 months', 'P3M'],
    ['42 Days', 'P42D'],
    ['within six weeks', 'P6W'],
    ['1 year', 'P1Y'],
    ['6weeks', 'P6W'],
  ])('reads %j as %s', (text, iso) => {
    expect(periodFromWords(text)).toBe(iso);
  });

  it.each(['', 'soon', '0 weeks', '-6 months', '6 fortnights', 'P6W'])('finds no period in %j', (text) => {
    expect(periodFromWords(text)).toBeNull();
  });
});

describe('addDuration', () => {
  it.each([
    [
      'clamps to the end of a shorter month (Merseyside: 30 Aug 2018 09:00 BST + six months = 28 Feb 2019 09:00 GMT)',
      '2018-08-30T08:00:00Z',
      'P6M',
      '2019-02-28T09:00:00Z',
    ],
    ['clamps 31 Jan + P1M to 29 Feb in a leap year', '2024-01-31T12:00:00Z', 'P1M', '2024-02-29T12:00:00Z'],
    ['clamps 31 Jan + P1M to 28 Feb otherwise', '2023-01-31T12:00:00Z', 'P1M', '2023-02-28T12:00:00Z'],
    [
      'keeps London wall-clock time over six weeks across the October clock change (1 Oct 09:00 BST = 12 Nov 09:00 GMT)',
      '2025-10-01T08:00:00Z',
      'P6W',
      '2025-11-12T09:00:00Z',
    ],
    [
      'keeps London wall-clock time over six weeks across the March clock change (2 Mar 09:00 GMT = 13 Apr 09:00 BST)',
      '2026-03-02T09:00:00Z',
      'P6W',
      '2026-04-13T08:00:00Z',
    ],
    [
      'keeps 09:00 London for a week across the clock change (Fri 27 Mar GMT = Fri 3 Apr BST)',
      '2026-03-27T09:00:00Z',
      'P7D',
      '2026-04-03T08:00:00Z',
    ],
    // The clocks go forward at 01:00 UTC on 29 Mar 2026; PT1H is still one real hour.
    [
      'adds seconds as exact elapsed time across a clock change',
      '2026-03-29T00:59:55Z',
      'PT10S',
      '2026-03-29T01:00:05Z',
    ],
    ['adds hours as exact elapsed time across a clock change', '2026-03-29T00:30:00Z', 'PT1H', '2026-03-29T01:30:00Z'],
    ['adds nothing for P0D', '2026-01-10T10:00:00.123Z', 'P0D', '2026-01-10T10:00:00.123Z'],
  ])('%s', movesTo(addDuration));

  it('accepts a luxon Duration as well as a string', () => {
    expect(addDuration(utc('2026-01-10T10:00:00Z'), Duration.fromObject({ days: 1 }))).toEqual(
      utc('2026-01-11T10:00:00Z'),
    );
  });

  it('does not change the Date it is given', () => {
    const at = utc('2026-01-10T10:00:00Z');
    addDuration(at, 'P1M');
    expect(at.toISOString()).toBe('2026-01-10T10:00:00.000Z');
  });

  it('rejects a bad duration string, naming the field', () => {
    expectInvalidInput(() => addDuration(utc('2026-01-10T10:00:00Z'), 'P1'), 'duration');
  });

  it('rejects a result beyond the representable range', () => {
    expectInvalidInput(() => addDuration(utc('2026-01-10T10:00:00Z'), 'P999999999Y'));
  });
});

describe('subtractDuration', () => {
  it.each([
    [
      'keeps London wall-clock time back across the clock change (Fri 3 Apr 09:00 BST = Fri 27 Mar 09:00 GMT)',
      '2026-04-03T08:00:00Z',
      'P7D',
      '2026-03-27T09:00:00Z',
    ],
    // 31 Mar 2019 is the day the clocks went forward.
    [
      'clamps to the end of a shorter month (Sun 31 Mar 2019 12:00 BST = 28 Feb 2019 12:00 GMT)',
      '2019-03-31T11:00:00Z',
      'P1M',
      '2019-02-28T12:00:00Z',
    ],
    ['subtracts time parts exactly', '2026-01-10T10:00:00Z', 'PT10S', '2026-01-10T09:59:50Z'],
  ])('%s', movesTo(subtractDuration));
});

describe('parsePositiveDuration (settings: leases, offsets, windows)', () => {
  it.each(['P7D', 'PT10S', 'P1M', 'P1Y', 'PT36H'])('accepts %s', (text) => {
    expect(parsePositiveDuration(text, 'X').toMillis()).toBeGreaterThan(0);
  });

  it.each(['P0D', 'PT0S', 'P0Y0M0W0DT0H0M0S'])('refuses the zero %s, naming the field', (text) => {
    expectInvalidInput(
      () => parsePositiveDuration(text, 'RECONCILE_EVERY'),
      'RECONCILE_EVERY must be longer than zero',
    );
  });

  it.each(['PT-1M', '-P1D', 'P0.5D', 'P0.5W', 'PT0,5S', 'P1,5D', 'P', 'PT', ''])(
    'refuses %j, naming the field',
    (text) => {
      expectInvalidInput(() => parsePositiveDuration(text, 'SEND_LEASE'), 'SEND_LEASE must be');
    },
  );

  it('refuses a list with one bad element, and reads an empty list as none', () => {
    expectInvalidInput(() => parsePositiveDurationList('P14D,P0.5D', 'REMINDER_OFFSETS'), 'REMINDER_OFFSETS');
    expect(parsePositiveDurationList(' ', 'REMINDER_OFFSETS')).toEqual([]);
    expect(parsePositiveDurationList('P14D, P1D', 'REMINDER_OFFSETS').map((d) => d.toISO())).toEqual(['P14D', 'P1D']);
  });
});
