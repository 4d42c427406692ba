// Fixtures shared by the notification plan's unit tests: recipients, settings that send at any hour, two deadlines.
import { Role } from '../roles.js';
import type { NotificationSettings, Recipient } from './plan.js';

export const person = (
  userId: string,
  role: Role,
  reminderDelivery: 'immediate' | 'daily_digest' = 'immediate',
): Recipient => ({
  userId,
  email: `${userId}@example.org`,
  role,
  reminderDelivery,
});
export const liaison = person('liaison-1', Role.Liaison);
export const always: NotificationSettings = {
  reminderOffsets: ['P14D', 'P7D', 'P1D'],
  escalateAfter: 'P7D',
  escalateEvery: 'P7D',
  digestWindowMs: 60_000,
  sendWindow: { kind: 'always' },
};
export const day = 86_400_000;
// Tuesday 10:00 London (GMT in winter).
export const actionPlanDueAt = new Date('2026-12-15T10:00:00Z');
export const dueAt = new Date('2027-06-15T09:00:00Z');
