// The monthly open and overdue deltas of a recommendation's state changes.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  ageBand,
  londonMonth,
  monthsBetween,
  stateChangeDeltas,
  type StateDelta,
  type TrackedState,
} from './state-history.js';

const d = (iso: string) => new Date(iso);
const countAt = (deltas: StateDelta[], t: Date) =>
  deltas
    .filter((x) => x.at <= t)
    .reduce((sum, x) => ({ open: sum.open + x.open, overdue: sum.overdue + x.overdue }), { open: 0, overdue: 0 });

describe('stateChangeDeltas', () => {
  it('opens at issue, turns overdue at the deadline, and stops both at closure', () => {
    const issued: TrackedState = { open: true, nextDeadlineAt: d('2019-03-01'), since: d('2019-01-01') };
    const deltas = [
      ...stateChangeDeltas(null, issued, d('2019-01-01')),
      ...stateChangeDeltas(issued, { open: false, nextDeadlineAt: null, since: d('2019-05-01') }, d('2019-05-01')),
    ];
    expect(countAt(deltas, d('2018-12-31'))).toEqual({ open: 0, overdue: 0 });
    expect(countAt(deltas, d('2019-02-01'))).toEqual({ open: 1, overdue: 0 });
    expect(countAt(deltas, d('2019-04-01'))).toEqual({ open: 1, overdue: 1 });
    expect(countAt(deltas, d('2019-06-01'))).toEqual({ open: 0, overdue: 0 });
  });

  it('cancels a future deadline exactly when the deadline moves before it passes', () => {
    const before: TrackedState = { open: true, nextDeadlineAt: d('2019-03-01'), since: d('2019-01-01') };
    const after: TrackedState = { open: true, nextDeadlineAt: d('2019-06-01'), since: d('2019-02-01') };
    const deltas = [
      ...stateChangeDeltas(null, before, d('2019-01-01')),
      ...stateChangeDeltas(before, after, d('2019-02-01')),
    ];
    expect(countAt(deltas, d('2019-04-01'))).toEqual({ open: 1, overdue: 0 });
    expect(countAt(deltas, d('2019-07-01'))).toEqual({ open: 1, overdue: 1 });
  });

  it('property: after any sequence of changes, the running sum at any time is the state then held', () => {
    const state = fc.record({
      open: fc.boolean(),
      deadlineDay: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), state), { maxLength: 8 }),
        fc.integer({ min: 0, max: 500 }),
        (issueDay, changes, probeDay) => {
          const day = (n: number) => new Date(Date.UTC(2019, 0, 1) + n * 86_400_000);
          let current: TrackedState = { open: true, nextDeadlineAt: day(issueDay + 30), since: day(issueDay) };
          const history: Array<{ from: Date; state: TrackedState }> = [{ from: day(issueDay), state: current }];
          const deltas = stateChangeDeltas(null, current, day(issueDay));
          let t = issueDay;
          for (const [gap, next] of changes) {
            t += gap;
            const after: TrackedState = {
              open: next.open,
              nextDeadlineAt: next.open && next.deadlineDay !== null ? day(next.deadlineDay) : null,
              since: day(t),
            };
            deltas.push(...stateChangeDeltas(current, after, day(t)));
            history.push({ from: day(t), state: after });
            current = after;
          }
          const probe = day(probeDay);
          const held = [...history].reverse().find((h) => h.from <= probe)?.state;
          const expected = held
            ? {
                open: held.open ? 1 : 0,
                overdue: held.open && held.nextDeadlineAt !== null && held.nextDeadlineAt <= probe ? 1 : 0,
              }
            : { open: 0, overdue: 0 };
          expect(countAt(deltas, probe)).toEqual(expected);
        },
      ),
    );
  });
});

describe('months and age bands', () => {
  it('counts London months, across the clock change and the year end', () => {
    expect(londonMonth(d('2019-03-31T23:30:00Z'))).toBe('2019-04-01');
    expect(londonMonth(d('2019-12-31T23:30:00Z'))).toBe('2019-12-01');
    expect(monthsBetween(d('2019-11-15T00:00:00Z'), d('2020-02-01T00:00:00Z'))).toEqual([
      '2019-11-01',
      '2019-12-01',
      '2020-01-01',
      '2020-02-01',
    ]);
  });

  it('bands an overdue deadline by the London calendar months since it passed', () => {
    const now = d('2020-07-15T12:00:00Z');
    expect(ageBand(d('2020-04-15T12:00:00Z'), now)).toBe('under_3_months');
    expect(ageBand(d('2020-04-15T11:59:59Z'), now)).toBe('3_to_6_months');
    expect(ageBand(d('2020-01-15T11:59:59Z'), now)).toBe('6_to_12_months');
    expect(ageBand(d('2019-07-15T11:59:59Z'), now)).toBe('over_12_months');
  });
});
