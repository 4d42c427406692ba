// A time without an offset means London's wall clock, whatever zone the process has (test/e2e/local-times.test.ts
// spawns one with TZ set).
import { afterEach, describe, expect, it } from '@jest/globals';
import { DateTime, Settings } from 'luxon';
import { parseIsoInstant } from './instants.js';

// Jest gives each file a copy of process.env, so TZ cannot be changed here; luxon's default zone is
// what TZ would change (it starts as the system zone), so that is what these tests move.
const originalZone = Settings.defaultZone;

describe('parseIsoInstant', () => {
  afterEach(() => {
    Settings.defaultZone = originalZone;
  });

  describe.each(['America/New_York', 'Asia/Tokyo', 'UTC', 'Europe/London'])('in a process with TZ=%s', (tz) => {
    it('reads a time without an offset as London time: BST in summer, GMT in winter', () => {
      Settings.defaultZone = tz;
      // The zone took effect: a reading that trusts the default zone (the old one) follows it.
      if (tz === 'America/New_York')
        expect(DateTime.fromISO('2026-03-31T09:00', { setZone: true }).toUTC().toISO()).toBe(
          '2026-03-31T13:00:00.000Z',
        );
      expect(parseIsoInstant('2026-03-31T09:00')?.toISOString()).toBe('2026-03-31T08:00:00.000Z');
      expect(parseIsoInstant('2026-01-15T09:00')?.toISOString()).toBe('2026-01-15T09:00:00.000Z');
      expect(parseIsoInstant('2026-07-01')?.toISOString()).toBe('2026-06-30T23:00:00.000Z');
      expect(parseIsoInstant('2026-12-01')?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    });

    it('keeps an explicit offset or Z as written', () => {
      Settings.defaultZone = tz;
      expect(parseIsoInstant('2026-03-31T09:00Z')?.toISOString()).toBe('2026-03-31T09:00:00.000Z');
      expect(parseIsoInstant('2026-03-31T09:00+02:00')?.toISOString()).toBe('2026-03-31T07:00:00.000Z');
    });
  });

  it('moves a time the spring change skipped forward, as the clocks did', () => {
    expect(parseIsoInstant('2026-03-29T01:30')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it.each(['2026-02-30', '31/03/2026', 'March 31 2026', '2026-03-31T25:00', '+275760-01-01', '0000-01-01T00:00Z', ''])(
    'names no instant for %j',
    (text) => {
      expect(parseIsoInstant(text)).toBeNull();
    },
  );
});
