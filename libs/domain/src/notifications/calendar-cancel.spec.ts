// Unit tests: when a calendar event is gone for good, and one cancellation per person and event, planned again as the
// same row.
import { describe, expect, it } from '@jest/globals';
import {
  actionPlanEventGone,
  dueDateEventGone,
  planCalendarCancels,
  type SentCalendarEvent,
} from './calendar-cancel.js';
import { isStillDue } from './plan.js';

const sent = (overrides: Partial<SentCalendarEvent> = {}): SentCalendarEvent => ({
  reminderId: 'reminder-1',
  recommendationId: 'rec-1',
  deadlineType: 'due_date',
  deadlineAt: new Date('2027-03-01T00:00:00Z'),
  recipientId: 'user-1',
  recipientEmail: 'liaison@force.example',
  ...overrides,
});
const now = new Date('2027-01-10T10:00:00Z');

describe('calendar cancellations', () => {
  it('calls a due date gone only when closed, and an action plan once nothing is issued', () => {
    expect(['issued', 'planned', 'closure_proposed'].map(dueDateEventGone)).toEqual([false, false, false]);
    expect(dueDateEventGone('closed')).toBe(true);
    expect(actionPlanEventGone(1)).toBe(false);
    expect(actionPlanEventGone(0)).toBe(true);
  });

  it('plans one row per person and event, due now, each in a batch of its own, the same row when planned again', () => {
    const rows = planCalendarCancels(
      [sent(), sent({ recipientId: 'user-2', reminderId: 'reminder-2' })],
      { digestWindowMs: 60_000 },
      now,
    );
    expect(rows.map((r) => [r.kind, r.deadlineType, r.sendAt.toISOString(), r.offsetKey])).toEqual([
      ['calendar_cancel', 'due_date', now.toISOString(), 'after-reminder-1'],
      ['calendar_cancel', 'due_date', now.toISOString(), 'after-reminder-2'],
    ]);
    expect(new Set(rows.map((r) => r.batchKey)).size).toBe(2);
    expect(rows.every((r) => !r.batchKey.includes(':'))).toBe(true);
    const later = planCalendarCancels([sent()], { digestWindowMs: 60_000 }, new Date(now.getTime() + 3_600_000));
    expect(later[0].dedupKey).toBe(rows[0].dedupKey);
    // A reminder sent after the cancellation (the event came back) needs a cancellation of its own.
    expect(
      planCalendarCancels([sent({ reminderId: 'reminder-9' })], { digestWindowMs: 60_000 }, now)[0].dedupKey,
    ).not.toBe(rows[0].dedupKey);
  });

  it("stays due while the event stays away: a due date's until the recommendation is reopened, an action plan's always", () => {
    const entry = (deadlineType: 'due_date' | 'action_plan') => ({
      kind: 'calendar_cancel' as const,
      deadlineType,
      deadlineAt: new Date('2027-03-01T00:00:00Z'),
    });
    const rec = (status: 'planned' | 'closed') => ({
      status,
      actionPlanDueAt: new Date('2026-12-01T00:00:00Z'),
      dueAt: new Date('2027-03-01T00:00:00Z'),
    });
    expect(isStillDue(entry('due_date'), rec('closed'), now)).toBe(true);
    expect(isStillDue(entry('due_date'), rec('planned'), now)).toBe(false);
    expect(isStillDue(entry('action_plan'), rec('planned'), now)).toBe(true);
  });
});
