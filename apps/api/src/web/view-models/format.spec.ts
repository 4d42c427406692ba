// Unit tests of the web pages' formatting of dates, statuses and counts.
import { describe, expect, it } from '@jest/globals';
import { calendarDate, daysOverdueText, humanise, londonDate, londonDateTime, ragTag, statusTag } from './format.js';

describe('web formatting', () => {
  it('shows dates as the day in London, not in UTC', () => {
    // 23:30 UTC on 29 August is 00:30 on 30 August in London (BST).
    expect(londonDate('2018-08-29T23:30:00Z')).toBe('30 August 2018');
    // In winter London is on UTC.
    expect(londonDate('2019-01-15T23:30:00Z')).toBe('15 January 2019');
    expect(londonDate(null)).toBe('');
    expect(londonDate('not a date')).toBe('');
  });

  it('shows moments with the London clock time, GOV.UK style', () => {
    expect(londonDateTime('2018-08-30T13:05:00Z')).toBe('30 August 2018 at 2:05pm');
    expect(londonDateTime(new Date('2019-01-15T09:00:00Z'))).toBe('15 January 2019 at 9:00am');
  });

  it('shows a calendar date without shifting it across a time zone', () => {
    expect(calendarDate('2026-03-31')).toBe('31 March 2026');
    expect(calendarDate(null)).toBe('');
  });

  it('gives each status its own tag colour, red when overdue', () => {
    expect(statusTag('issued')).toEqual({ text: 'Issued', classes: 'govuk-tag--blue' });
    expect(statusTag('planned')).toEqual({ text: 'Planned', classes: 'govuk-tag--light-blue' });
    expect(statusTag('closure_proposed')).toEqual({ text: 'Closure proposed', classes: 'govuk-tag--purple' });
    expect(statusTag('closed')).toEqual({ text: 'Closed', classes: 'govuk-tag--grey' });
    expect(statusTag('planned', true)).toEqual({ text: 'Planned – overdue', classes: 'govuk-tag--red' });
  });

  it('shows RAG ratings in their colours and "Not rated" before the first', () => {
    expect(ragTag('red').classes).toBe('govuk-tag--red');
    expect(ragTag('amber')).toEqual({ text: 'Amber', classes: 'govuk-tag--orange' });
    expect(ragTag('green').text).toBe('Green');
    expect(ragTag(null)).toEqual({ text: 'Not rated', classes: 'govuk-tag--grey' });
  });

  it('counts days overdue in words', () => {
    expect(daysOverdueText(null)).toBe('');
    expect(daysOverdueText(0)).toBe('Overdue today');
    expect(daysOverdueText(1)).toBe('1 day overdue');
    expect(daysOverdueText(2650)).toBe('2,650 days overdue');
  });

  it('turns codes into words', () => {
    expect(humanise('closure_proposed')).toBe('Closure proposed');
    expect(humanise('recommendation.deadlines_recomputed')).toBe('Recommendation deadlines recomputed');
    // A field name never reaches a person as it is stored.
    expect(humanise('closedAt')).toBe('Closed at');
  });
});
