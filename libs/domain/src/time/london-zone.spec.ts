// The remembering London zone answers as luxon's own zone does.
import { describe, expect, it } from '@jest/globals';
import { DateTime, IANAZone } from 'luxon';
import { LONDON_ZONE, RememberingZone } from './london-zone.js';

describe('RememberingZone', () => {
  const plain = IANAZone.create('Europe/London');

  it('gives the same offset as the plain zone around both clock changes, minute by minute, twice over', () => {
    for (const change of ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '1972-03-19T02:00:00Z']) {
      const at = Date.parse(change);
      for (let pass = 0; pass < 2; pass++) {
        for (let ts = at - 2 * 3_600_000; ts <= at + 2 * 3_600_000; ts += 60_000 + 7) {
          expect({ ts, offset: LONDON_ZONE.offset(ts) }).toEqual({ ts, offset: plain.offset(ts) });
        }
      }
    }
  });

  it('never remembers a quarter hour in which the offset changed off the quarter (local mean time, 1847)', () => {
    const zone = new RememberingZone('Europe/London');
    // London left local mean time (-0:01:15) at 00:01:15 UTC on 1 December 1847.
    const change = Date.parse('1847-12-01T00:01:15Z');
    expect(zone.offset(change - 1)).toBe(plain.offset(change - 1));
    expect(zone.offset(change + 1)).toBe(plain.offset(change + 1));
    expect(zone.offset(change - 1)).not.toBe(zone.offset(change + 1));
  });

  it('is what luxon sees as Europe/London', () => {
    const at = new Date('2026-07-01T12:00:00Z');
    const remembered = DateTime.fromJSDate(at, { zone: LONDON_ZONE });
    const fresh = DateTime.fromJSDate(at, { zone: 'Europe/London' });
    expect(remembered.toISO()).toBe(fresh.toISO());
    expect(remembered.zone.equals(fresh.zone)).toBe(true);
    expect(remembered.plus({ months: 4 }).toISO()).toBe(fresh.plus({ months: 4 }).toISO());
  });
});
