// Writing audit events in the caller's transaction, and the field-by-field diff they record.
import type { EntityManager } from 'typeorm';
import { appendAuditEvent, appendAuditEvents, type AuditEventInput } from '#persistence';

export type AuditInput = Omit<AuditEventInput, 'at' | 'entityType'> & {
  entityType: 'organisation' | 'user' | 'inspection' | 'recommendation' | 'follow_up_policy';
};

/** Set on a transaction's query runner once it holds an audit event, so its commit kicks the sequencer. */
export const AUDITED = 'followup:audited';

/**
 * Every state change leaves one audit event, in the same transaction as the change: a plain INSERT, no
 * lock. The sequencer chains it once the transaction has ended (see AuditCommitSubscriber).
 */
export async function audit(manager: EntityManager, at: Date, input: AuditInput): Promise<unknown> {
  const event = await appendAuditEvent(manager, { at, ...input });
  (manager.queryRunner!.data as Record<string, unknown>)[AUDITED] = true;
  return event;
}

/** Several events in one go (a bulk creation), in order, in the caller's transaction. */
export function auditAll(manager: EntityManager, at: Date, inputs: readonly AuditInput[]): Promise<void> {
  return appendAuditEvents(manager, inputs.map((input) => ({ at, ...input })));
}

/** The fields whose values differ, as { field: { from, to } }, for the audit trail. */
export function diff<T extends object>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(after)) {
    const from = (before as Record<string, unknown>)[field];
    if (!sameValue(from, to)) changes[field] = { from: serialise(from), to: serialise(to) };
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

function serialise(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}
