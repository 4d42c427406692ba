// The ledger's keys: their stored text, and the one mapping from a row to its slot.
import { describe, expect, it } from '@jest/globals';
import { DeadlineType, NotificationKind } from './kinds.js';
import {
  batchKeyFor,
  batchSlot,
  dedupKeyFor,
  escalationOffsetKey,
  escalationStepOf,
  lateJoinersMessageIdentity,
  slotAtOrAfter,
  slotOf,
} from './keys.js';

describe('batches', () => {
  it('one recipient, one kind, one digest window: one batch, sent when the window closes', () => {
    const a = batchKeyFor(NotificationKind.Reminder, 'u1', new Date('2026-01-01T10:00:05Z'), 60_000);
    const b = batchKeyFor(NotificationKind.Reminder, 'u1', new Date('2026-01-01T10:00:59Z'), 60_000);
    expect(a).toBe(b);
    expect(a).not.toContain(':');
    expect(batchKeyFor(NotificationKind.Reminder, 'u1', new Date('2026-01-01T10:01:00Z'), 60_000)).not.toBe(a);
    expect(batchKeyFor(NotificationKind.Overdue, 'u1', new Date('2026-01-01T10:00:05Z'), 60_000)).not.toBe(a);
    expect(batchKeyFor(NotificationKind.Reminder, 'u2', new Date('2026-01-01T10:00:05Z'), 60_000)).not.toBe(a);
    expect(batchSlot(new Date('2026-01-01T10:00:05Z'), 60_000)).toEqual(new Date('2026-01-01T10:01:00Z'));
  });

  it('runs a batch and every retry in the first slot at or after it is due', () => {
    const sendAt = new Date('2026-01-01T10:00:05Z');
    // A batch's slot is already a boundary: the first slot at or after it is itself.
    expect(slotAtOrAfter(batchSlot(sendAt, 60_000), 60_000)).toEqual(batchSlot(sendAt, 60_000));
    expect(slotAtOrAfter(new Date('2026-01-01T10:00:00.001Z'), 60_000)).toEqual(new Date('2026-01-01T10:01:00Z'));
    expect(slotAtOrAfter(new Date('2026-01-01T10:00:00Z'), 60_000)).toEqual(new Date('2026-01-01T10:00:00Z'));
    expect(slotAtOrAfter(new Date(1234), 0)).toEqual(new Date(1234));
  });

  it("maps a row to one slot: its batch's slot, or the slot after its retry when that is later", () => {
    const sendAt = new Date('2026-01-01T10:00:00Z');
    expect(slotOf({ sendAt }, 60_000)).toEqual(new Date('2026-01-01T10:01:00Z'));
    expect(slotOf({ sendAt, retryAt: null }, 60_000)).toEqual(new Date('2026-01-01T10:01:00Z'));
    expect(slotOf({ sendAt, retryAt: new Date('2026-01-01T10:00:30Z') }, 60_000)).toEqual(
      new Date('2026-01-01T10:01:00Z'),
    );
    expect(slotOf({ sendAt, retryAt: new Date('2026-01-01T10:03:00.500Z') }, 60_000)).toEqual(
      new Date('2026-01-01T10:04:00Z'),
    );
  });
});

describe('stored text (existing rows and Message-IDs depend on it)', () => {
  const at = new Date('2026-01-01T10:00:05.123Z');

  it('writes batch keys as kind.recipient.windowStartMs', () => {
    expect(batchKeyFor(NotificationKind.Overdue, 'u1', at, 1_000)).toBe(
      `overdue.u1.${Date.parse('2026-01-01T10:00:05Z')}`,
    );
  });

  it('writes dedup keys as subject|type|ISO date|kind|offset|recipient', () => {
    expect(dedupKeyFor('r1', DeadlineType.ActionPlan, at, NotificationKind.Escalation, 'step-2', 'u1')).toBe(
      'r1|action_plan|2026-01-01T10:00:05.123Z|escalation|step-2|u1',
    );
  });

  it('names late joiners by their batch and their sorted ids', () => {
    expect(lateJoinersMessageIdentity('overdue.u1.1000', ['b', 'a'])).toBe('overdue.u1.1000|a,b');
  });
});

describe('escalation steps', () => {
  it('names a step by its place and reads it back', () => {
    for (const step of [0, 1, 7, 12]) expect(escalationStepOf(escalationOffsetKey(step))).toBe(step);
    expect(escalationOffsetKey(3)).toBe('step-3');
  });

  it('reads the names written before step keys, and nothing else as a step', () => {
    expect(escalationStepOf('P7D+2xP7D')).toBe(2);
    expect(escalationStepOf('P7D')).toBe(0);
    expect(escalationStepOf('step-')).toBe(0);
    expect(escalationStepOf('step-x')).toBe(0);
  });
});
