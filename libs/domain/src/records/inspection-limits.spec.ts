// Unit tests of the one set of inspection limits: each field named, counted after trimming.
import { describe, expect, it } from '@jest/globals';
import { assertInspectionLimits, inspectionLimitProblems } from './inspection-limits.js';

describe('inspection limits', () => {
  it('names every field over its limit, recommendations by index', () => {
    expect(
      inspectionLimitProblems({
        title: 't'.repeat(501),
        programme: 'p'.repeat(201),
        recommendations: [{ reference: 'r'.repeat(41), text: 'x'.repeat(10_001), area: 'a'.repeat(201) }],
      }),
    ).toEqual([
      'title must be at most 500 characters',
      'programme must be at most 200 characters',
      'recommendations[0].reference must be at most 40 characters',
      'recommendations[0].text must be at most 10000 characters',
      'recommendations[0].area must be at most 200 characters',
    ]);
  });

  it('counts the recommendations, and accepts what keeps to the limits', () => {
    const recs = (n: number) => Array.from({ length: n }, (_, i) => ({ reference: `${i}`, text: 't' }));
    expect(inspectionLimitProblems({ recommendations: recs(501) })).toEqual([
      'recommendations must list at most 500 recommendations (501 given)',
    ]);
    expect(() => assertInspectionLimits({ title: `  ${'t'.repeat(500)}  `, recommendations: recs(500) })).not.toThrow();
  });
});
