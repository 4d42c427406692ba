// Kicks the audit sequencer after each commit that wrote an audit event.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type TransactionCommitEvent } from 'typeorm';
import { AUDITED } from './audit.js';
import { AUDIT_SEQUENCER, type AuditSequencerKick } from './tokens.js';

/**
 * TypeORM tells subscribers of every commit; the kick goes only for transactions `audit()` marked, and
 * only after the commit, when the sequencer can see the event. It returns nothing to wait for, so the
 * commit (and the request behind it) never waits for Redis.
 */
@Injectable()
export class AuditCommitSubscriber implements EntitySubscriberInterface, OnModuleInit {
  constructor(
    private readonly db: DataSource,
    @Inject(AUDIT_SEQUENCER) private readonly sequencer: AuditSequencerKick,
  ) {}

  onModuleInit(): void {
    if (!this.db.subscribers.includes(this)) this.db.subscribers.push(this);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, unknown>;
    if (!data[AUDITED]) return;
    delete data[AUDITED];
    this.sequencer.kick();
  }
}
