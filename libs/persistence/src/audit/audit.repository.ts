// The audit log as the application writes it: events in the caller's transaction, which marks it for the sequencer.
import type { EntityManager } from 'typeorm';
import type { AuditEventEntity } from '../entities/audit-event.entity.js';
import { appendAuditEvent, appendAuditEvents, type AuditEventInput } from './audit-log.js';

/** What the application records changes to. */
export type AuditedEntityType =
  | 'organisation'
  | 'user'
  | 'inspection'
  | 'recommendation'
  | 'follow_up_policy'
  | 'webhook_subscription'
  | 'api_token'
  | 'api_token_settings';

export type AuditRecord = Omit<AuditEventInput, 'at' | 'entityType'> & { entityType: AuditedEntityType };

/**
 * Set on a transaction's query runner once it holds an audit event, so its commit kicks the sequencer (see Storage).
 */
export const AUDITED = 'followup:audited';

export class AuditRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * Every state change leaves one audit event, in the same transaction as the change: a plain INSERT, no
   * lock. The sequencer chains it once the transaction has ended.
   */
  async record(at: Date, input: AuditRecord): Promise<AuditEventEntity> {
    const event = await appendAuditEvent(this.db, { at, ...input });
    this.markAudited();
    return event;
  }

  /** Several events in one go (a bulk creation), in order. */
  async recordAll(at: Date, inputs: readonly AuditRecord[]): Promise<void> {
    await appendAuditEvents(
      this.db,
      inputs.map((input) => ({ at, ...input })),
    );
    if (inputs.length > 0) this.markAudited();
  }

  private markAudited(): void {
    (this.db.queryRunner!.data as Record<string, unknown>)[AUDITED] = true;
  }
}
