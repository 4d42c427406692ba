// Deadlines derived from publication, in London, across clock changes and month ends.
import { describe, it, expect } from '@jest/globals';
import { expectInvalidInput } from '../../../../test/support/domain-expectations.js';
import { addDuration } from './durations.js';
import {
  DEFAULT_FOLLOW_UP_POLICY,
  IMMEDIATELY,
  commissionerCommentsDueAt,
  inspectionDeadlines,
  recommendationDueAt,
  validateTimeframe,
} from './deadlines.js';

// Instants are written in UTC; comments give the London wall-clock time (GMT = UTC+0, BST = UTC+1).
const utc = (iso: string): Date => new Date(iso);

// Merseyside NCPI report, published 30 Aug 2018 (10:00 BST).
const merseyside = utc('2018-08-30T09:00:00Z');

describe('DEFAULT_FOLLOW_UP_POLICY', () => {
  it('asks for the action plan in six weeks and the revisit in six months', () => {
    expect(DEFAULT_FOLLOW_UP_POLICY).toEqual({ actionPlanAfter: 'P6W', revisitAfter: 'P6M', immediateAfter: 'P28D' });
  });
});

describe('inspectionDeadlines', () => {
  it('derives both deadlines from publication under the default policy', () => {
    expect(inspectionDeadlines({ publishedAt: merseyside }, DEFAULT_FOLLOW_UP_POLICY)).toEqual({
      actionPlanDueAt: utc('2018-10-11T09:00:00Z'), // 11 Oct 2018 10:00 BST
      revisitDueAt: utc('2019-02-28T10:00:00Z'), // 28 Feb 2019 10:00 GMT: 30 Feb does not exist
    });
  });

  it('uses the policy it is given', () => {
    const policy = { actionPlanAfter: 'P28D', revisitAfter: 'P1Y' };
    expect(inspectionDeadlines({ publishedAt: merseyside }, policy)).toEqual({
      actionPlanDueAt: utc('2018-09-27T09:00:00Z'),
      revisitDueAt: utc('2019-08-30T09:00:00Z'),
    });
  });

  it('lets explicit dates win over the policy', () => {
    const actionPlanDueAt = utc('2018-09-14T16:00:00Z');
    const revisitDueAt = utc('2019-08-01T09:00:00Z');
    expect(
      inspectionDeadlines({ publishedAt: merseyside, actionPlanDueAt, revisitDueAt }, DEFAULT_FOLLOW_UP_POLICY),
    ).toEqual({
      actionPlanDueAt,
      revisitDueAt,
    });
  });

  it('derives only the deadline that is not given', () => {
    const revisitDueAt = utc('2019-08-01T09:00:00Z');
    const deadlines = inspectionDeadlines(
      { publishedAt: merseyside, actionPlanDueAt: null, revisitDueAt },
      DEFAULT_FOLLOW_UP_POLICY,
    );
    expect(deadlines.actionPlanDueAt).toEqual(utc('2018-10-11T09:00:00Z'));
    expect(deadlines.revisitDueAt).toEqual(revisitDueAt);
  });

  it('returns copies, so changing a result cannot change the input', () => {
    const actionPlanDueAt = utc('2018-09-14T16:00:00Z');
    const result = inspectionDeadlines({ publishedAt: merseyside, actionPlanDueAt }, DEFAULT_FOLLOW_UP_POLICY);
    result.actionPlanDueAt.setTime(0);
    expect(actionPlanDueAt.toISOString()).toBe('2018-09-14T16:00:00.000Z');
  });

  it('names the policy field that is not a duration', () => {
    expectInvalidInput(
      () => inspectionDeadlines({ publishedAt: merseyside }, { actionPlanAfter: 'six weeks', revisitAfter: 'P6M' }),
      'actionPlanAfter',
    );
    expectInvalidInput(
      () => inspectionDeadlines({ publishedAt: merseyside }, { actionPlanAfter: 'P6W', revisitAfter: '' }),
      'revisitAfter',
    );
  });
});

describe('recommendationDueAt', () => {
  const revisitDueAt = utc('2019-02-28T10:00:00Z');

  it('lets an explicit dueAt win over a timeframe', () => {
    const dueAt = utc('2018-12-01T12:00:00Z');
    expect(recommendationDueAt({ publishedAt: merseyside, revisitDueAt, timeframe: 'P3M', dueAt })).toEqual(dueAt);
    expect(recommendationDueAt({ publishedAt: merseyside, revisitDueAt, timeframe: IMMEDIATELY, dueAt })).toEqual(
      dueAt,
    );
  });

  it('makes an "immediately" recommendation due by the policy\'s immediate rule: 28 days after publication unless set', () => {
    expect(recommendationDueAt({ publishedAt: merseyside, revisitDueAt, timeframe: 'immediately' })).toEqual(
      addDuration(merseyside, 'P28D'),
    );
    expect(
      recommendationDueAt(
        { publishedAt: merseyside, revisitDueAt, timeframe: 'immediately' },
        { immediateAfter: 'P14D' },
      ),
    ).toEqual(addDuration(merseyside, 'P14D'));
  });

  it('counts a duration timeframe from publication', () => {
    // 30 Aug 2018 10:00 BST + 3 months = 30 Nov 2018 10:00 GMT
    expect(recommendationDueAt({ publishedAt: merseyside, revisitDueAt, timeframe: 'P3M' })).toEqual(
      utc('2018-11-30T10:00:00Z'),
    );
  });

  it('falls back to the revisit date with neither timeframe nor dueAt', () => {
    expect(recommendationDueAt({ publishedAt: merseyside, revisitDueAt })).toEqual(revisitDueAt);
    expect(recommendationDueAt({ publishedAt: merseyside, revisitDueAt, timeframe: null, dueAt: null })).toEqual(
      revisitDueAt,
    );
  });

  it('rejects a timeframe that is neither "immediately" nor a duration', () => {
    expectInvalidInput(
      () => recommendationDueAt({ publishedAt: merseyside, revisitDueAt, timeframe: 'within three months' }),
      'timeframe',
    );
  });
});

describe('validateTimeframe', () => {
  it('accepts "immediately" and durations', () => {
    expect(validateTimeframe('immediately', 'timeframe')).toBe('immediately');
    expect(validateTimeframe('P3M', 'timeframe')).toBe('P3M');
    expect(validateTimeframe('P0D', 'timeframe')).toBe('P0D');
  });

  it.each(['', 'Immediately', 'soon', 'P-3M', '3 months'])('rejects %j, naming the field', (timeframe) => {
    expectInvalidInput(
      () => validateTimeframe(timeframe, 'recommendations[2].timeframe'),
      'recommendations[2].timeframe',
    );
  });
});

describe('commissionerCommentsDueAt', () => {
  it('is 56 calendar days after publication, at the same London time', () => {
    // 10 Sep 2018 10:00 BST -> 5 Nov 2018 10:00 GMT (clocks went back 28 Oct 2018)
    expect(commissionerCommentsDueAt(utc('2018-09-10T09:00:00Z'))).toEqual(utc('2018-11-05T10:00:00Z'));
  });
});
