// Unit tests of the decision banner and the returned-evidence marks.
import { describe, expect, it } from '@jest/globals';
import type { HistoryEntry } from '#application';
import { evidenceFate, latestDecision } from './decisions.js';

const entry = (action: string, at: string, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  at,
  actorId: 'ines',
  action,
  fromStatus: null,
  toStatus: null,
  comment: null,
  changes: {},
  ...extra,
});
const names = new Map([['ines', 'Ines Inspector']]);

describe('the latest decision', () => {
  it('is the newest of return, authorise, close and reopen, with its reason and who made it, in London time', () => {
    const history = [
      entry('submit_plan', '2026-06-01T09:00:00.000Z'),
      entry('propose_closure', '2026-07-01T09:00:00.000Z'),
      entry('return', '2026-07-02T13:05:00.000Z', { comment: 'The audit covers one division.\nSend all of them.' }),
      entry('propose_closure', '2026-08-01T09:00:00.000Z'),
    ];
    expect(latestDecision(history, names)).toEqual({
      title: 'Closure returned to the force',
      byline: 'by Ines Inspector on 2 July 2026 at 2:05pm',
      datetime: '2026-07-02T13:05:00.000Z',
      reason: ['The audit covers one division.', 'Send all of them.'],
    });
    const closed = [
      ...history,
      entry('close', '2026-09-01T09:00:00.000Z', {
        comment: 'Superseded',
        changes: { outcome: { from: null, to: 'not_implemented' } },
      }),
    ];
    expect(latestDecision(closed, names)?.title).toBe('Closed without implementation (not implemented)');
    expect(latestDecision([entry('amend_plan', '2026-06-01T09:00:00.000Z')], names)).toBeNull();
  });

  it('marks evidence as returned, or withdrawn, by the first such step after it was submitted', () => {
    const history = [
      entry('return', '2026-07-02T13:05:00.000Z'),
      entry('withdraw_closure', '2026-08-02T13:05:00.000Z'),
    ];
    expect(evidenceFate({ createdAt: '2026-07-01T09:00:00.000Z' }, history)).toEqual({
      text: 'Returned on 2 July 2026',
      classes: 'govuk-tag--orange',
    });
    expect(evidenceFate({ createdAt: '2026-08-01T09:00:00.000Z' }, history)?.text).toBe('Withdrawn on 2 August 2026');
    expect(evidenceFate({ createdAt: '2026-09-01T09:00:00.000Z' }, history)).toBeNull();
  });
});
