// The overdue list's age bands, counted in London calendar months.
import { describe, expect, it } from '@jest/globals';
import { ageBandRange } from './overdue-list.js';

describe('overdue age bands', () => {
  // 12:00 on 15 May 2026 in London (BST).
  const now = new Date('2026-05-15T11:00:00Z');

  it('counts calendar months back in London', () => {
    expect(ageBandRange('under_3_months', now)).toEqual({ after: new Date('2026-02-15T12:00:00Z') });
    expect(ageBandRange('3_to_6_months', now)).toEqual({
      after: new Date('2025-11-15T12:00:00Z'),
      atOrBefore: new Date('2026-02-15T12:00:00Z'),
    });
    expect(ageBandRange('6_to_12_months', now)).toEqual({
      after: new Date('2025-05-15T11:00:00Z'),
      atOrBefore: new Date('2025-11-15T12:00:00Z'),
    });
    expect(ageBandRange('over_12_months', now)).toEqual({ atOrBefore: new Date('2025-05-15T11:00:00Z') });
  });

  it('leaves no gap and no overlap between neighbouring bands', () => {
    expect(ageBandRange('under_3_months', now).after).toEqual(ageBandRange('3_to_6_months', now).atOrBefore);
    expect(ageBandRange('3_to_6_months', now).after).toEqual(ageBandRange('6_to_12_months', now).atOrBefore);
    expect(ageBandRange('6_to_12_months', now).after).toEqual(ageBandRange('over_12_months', now).atOrBefore);
  });
});
