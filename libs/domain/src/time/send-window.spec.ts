// The send window: working hours on English working days, and the next time a notice may go.
import { describe, it, expect } from '@jest/globals';
import { expectInvalidInput } from '../../../../test/support/domain-expectations.js';
import {
  isInSendWindow,
  isWorkingDay,
  nextDailyDigestTime,
  nextSendTime,
  parseSendWindow,
  type SendWindow,
} from './send-window.js';
import { HOUR_MS } from './units.js';

// Instants are written in UTC; comments give the London wall-clock time (GMT = UTC+0, BST = UTC+1).
// 2026: clocks go forward Sun 29 Mar and back Sun 25 Oct. Bank holidays in England and Wales: Good Friday
// 3 Apr, Easter Monday 6 Apr, Early May 4 May, Spring 25 May, Christmas Fri 25 Dec, Boxing Day substitute Mon 28 Dec.
const utc = (iso: string): Date => new Date(iso);

const office: SendWindow = { kind: 'working_hours', startMinutes: 8 * 60, endMinutes: 18 * 60 };
const always: SendWindow = { kind: 'always' };

describe('parseSendWindow', () => {
  it('defaults to 08:00-18:00 on working days', () => {
    expect(parseSendWindow(undefined)).toEqual(office);
    expect(parseSendWindow('')).toEqual(office);
  });

  it('parses "always"', () => {
    expect(parseSendWindow('always')).toEqual({ kind: 'always' });
  });

  it('parses HH:MM-HH:MM into minutes after midnight', () => {
    expect(parseSendWindow('09:30-17:15')).toEqual({ kind: 'working_hours', startMinutes: 570, endMinutes: 1035 });
    expect(parseSendWindow('00:00-24:00')).toEqual({ kind: 'working_hours', startMinutes: 0, endMinutes: 1440 });
  });

  it.each([
    'sometimes',
    '8-18',
    '8:00-18:00',
    '08:00',
    '25:00-26:00',
    '08:60-18:00',
    '08:00-24:01',
    '18:00-08:00',
    '09:00-09:00',
  ])('rejects %j', (text) => {
    expectInvalidInput(() => parseSendWindow(text), 'SEND_WINDOW must be "always" or "HH:MM-HH:MM"');
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['Wednesday', '2026-04-01T12:00:00Z', true],
    ['Saturday', '2026-04-04T12:00:00Z', false],
    ['Sunday', '2026-04-05T12:00:00Z', false],
    ['Good Friday', '2026-04-03T12:00:00Z', false],
    ['Easter Monday', '2026-04-06T12:00:00Z', false],
    ['Tuesday after Easter', '2026-04-07T12:00:00Z', true],
    ['Early May bank holiday', '2026-05-04T12:00:00Z', false],
    ['Spring bank holiday', '2026-05-25T12:00:00Z', false],
    ['Christmas Day (a Friday)', '2026-12-25T12:00:00Z', false],
    ['Boxing Day substitute Monday', '2026-12-28T12:00:00Z', false],
    ['Tuesday after Christmas', '2026-12-29T12:00:00Z', true],
    ['New Year’s Day 2027', '2027-01-01T12:00:00Z', false],
  ])('%s', (_name, iso, expected) => {
    expect(isWorkingDay(utc(iso))).toBe(expected);
  });

  it('uses the London date, not the UTC date', () => {
    // 23:30 UTC on Easter Monday is 00:30 BST on Tuesday.
    expect(isWorkingDay(utc('2026-04-06T23:30:00Z'))).toBe(true);
    // 23:30 UTC on Friday 22 May is 00:30 BST on Saturday.
    expect(isWorkingDay(utc('2026-05-22T23:30:00Z'))).toBe(false);
  });
});

describe('isInSendWindow', () => {
  it('opens at exactly 08:00 London and closes at exactly 18:00 London (summer)', () => {
    expect(isInSendWindow(office, utc('2026-04-01T06:59:59.999Z'))).toBe(false); // 07:59:59.999 BST
    expect(isInSendWindow(office, utc('2026-04-01T07:00:00Z'))).toBe(true); // 08:00 BST
    expect(isInSendWindow(office, utc('2026-04-01T16:59:59.999Z'))).toBe(true); // 17:59:59.999 BST
    expect(isInSendWindow(office, utc('2026-04-01T17:00:00Z'))).toBe(false); // 18:00 BST
  });

  it('follows London time in winter too', () => {
    expect(isInSendWindow(office, utc('2026-01-14T07:30:00Z'))).toBe(false); // 07:30 GMT
    expect(isInSendWindow(office, utc('2026-01-14T08:00:00Z'))).toBe(true); // 08:00 GMT
    expect(isInSendWindow(office, utc('2026-01-14T17:30:00Z'))).toBe(true); // 17:30 GMT
    expect(isInSendWindow(office, utc('2026-01-14T18:00:00Z'))).toBe(false); // 18:00 GMT
  });

  it('is closed all day at weekends and on bank holidays', () => {
    expect(isInSendWindow(office, utc('2026-04-04T11:00:00Z'))).toBe(false); // Saturday noon BST
    expect(isInSendWindow(office, utc('2026-04-06T11:00:00Z'))).toBe(false); // Easter Monday noon BST
    expect(isInSendWindow(office, utc('2026-12-25T12:00:00Z'))).toBe(false); // Christmas Day noon GMT
  });

  it('is always open for "always"', () => {
    expect(isInSendWindow(always, utc('2026-04-05T02:00:00Z'))).toBe(true); // Easter Sunday 03:00 BST
    expect(isInSendWindow(always, utc('2026-12-25T23:59:00Z'))).toBe(true);
  });

  it('honours a custom window', () => {
    const short = parseSendWindow('09:30-17:00');
    expect(isInSendWindow(short, utc('2026-01-14T09:29:00Z'))).toBe(false);
    expect(isInSendWindow(short, utc('2026-01-14T09:30:00Z'))).toBe(true);
    expect(isInSendWindow(short, utc('2026-01-14T16:59:00Z'))).toBe(true);
    expect(isInSendWindow(short, utc('2026-01-14T17:00:00Z'))).toBe(false);
  });
});

describe('nextSendTime', () => {
  it('returns the moment itself when the window is open', () => {
    const at = utc('2026-04-01T10:15:00Z');
    expect(nextSendTime(office, at).getTime()).toBe(at.getTime());
  });

  it('returns the moment itself for "always", even on Christmas night', () => {
    const at = utc('2026-12-25T03:00:00Z');
    expect(nextSendTime(always, at).getTime()).toBe(at.getTime());
  });

  it.each([
    [
      'waits until 08:00 the same day before the window opens (06:00 -> 08:00 BST)',
      '2026-04-01T05:00:00Z',
      '2026-04-01T07:00:00Z',
    ],
    [
      'moves the evening to the next working morning (Wed 18:00 -> Thu 08:00 BST)',
      '2026-04-01T17:00:00Z',
      '2026-04-02T07:00:00Z',
    ],
    [
      'moves Friday 18:30 to Monday 08:00 across the March clock change (Fri 27 Mar GMT -> Mon 30 Mar BST)',
      '2026-03-27T18:30:00Z',
      '2026-03-30T07:00:00Z',
    ],
    [
      'moves Friday 18:30 to Monday 08:00 across the October clock change (Fri 23 Oct BST -> Mon 26 Oct GMT)',
      '2026-10-23T17:30:00Z',
      '2026-10-26T08:00:00Z',
    ],
    ['moves a weekend to Monday 08:00 (Sat noon GMT)', '2026-01-17T12:00:00Z', '2026-01-19T08:00:00Z'],
    [
      'skips Good Friday, the weekend and Easter Monday (Thu 2 Apr 18:30 -> Tue 7 Apr 08:00 BST)',
      '2026-04-02T17:30:00Z',
      '2026-04-07T07:00:00Z',
    ],
    [
      'skips the Spring bank holiday Monday (Fri 22 May 18:30 -> Tue 26 May 08:00 BST)',
      '2026-05-22T17:30:00Z',
      '2026-05-26T07:00:00Z',
    ],
    [
      'skips Christmas Day, the weekend and the Boxing Day substitute (Thu 24 Dec 18:30 -> Tue 29 Dec 08:00 GMT)',
      '2026-12-24T18:30:00Z',
      '2026-12-29T08:00:00Z',
    ],
  ])('%s', (_what, at, next) => {
    expect(nextSendTime(office, utc(at))).toEqual(utc(next));
  });

  it('uses a custom opening time', () => {
    expect(nextSendTime(parseSendWindow('09:30-17:00'), utc('2026-01-16T17:00:00Z'))).toEqual(
      utc('2026-01-19T09:30:00Z'),
    );
  });

  it('always lands inside the window', () => {
    for (let hour = 0; hour < 24 * 14; hour += 5) {
      const at = new Date(Date.parse('2026-03-23T00:17:00Z') + hour * HOUR_MS);
      const next = nextSendTime(office, at);
      expect(isInSendWindow(office, next)).toBe(true);
      expect(next.getTime()).toBeGreaterThanOrEqual(at.getTime());
    }
  });
});

describe('nextDailyDigestTime', () => {
  it.each<[string, SendWindow, string, string]>([
    ['is today’s opening when it is still ahead', office, '2026-04-01T05:00:00Z', '2026-04-01T07:00:00Z'],
    [
      'is strictly after the moment: exactly at the opening gives the next working day',
      office,
      '2026-04-01T07:00:00Z',
      '2026-04-02T07:00:00Z',
    ],
    ['is the next working morning when the window is open now', office, '2026-04-01T11:00:00Z', '2026-04-02T07:00:00Z'],
    ['skips the Easter weekend', office, '2026-04-02T11:00:00Z', '2026-04-07T07:00:00Z'],
    [
      'with "always", is the next 08:00 London on any day (Sat 4 Apr 07:59 BST -> Sat 08:00 BST)',
      always,
      '2026-04-04T06:59:00Z',
      '2026-04-04T07:00:00Z',
    ],
    [
      'with "always", is the next 08:00 London on any day (Sat 09:00 BST -> Easter Sunday 08:00 BST)',
      always,
      '2026-04-04T08:00:00Z',
      '2026-04-05T07:00:00Z',
    ],
    ['with "always", exactly 08:00 gives the next day', always, '2026-01-14T08:00:00Z', '2026-01-15T08:00:00Z'],
    [
      'with "always", keeps 08:00 London across the clock change (Sat 28 Mar 09:00 GMT -> Sun 29 Mar 08:00 BST)',
      always,
      '2026-03-28T09:00:00Z',
      '2026-03-29T07:00:00Z',
    ],
  ])('%s', (_what, window, at, next) => {
    expect(nextDailyDigestTime(window, utc(at))).toEqual(utc(next));
  });
});
