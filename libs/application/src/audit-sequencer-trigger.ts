// Kicks the audit sequencer after each commit that recorded an audit event.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Storage } from '#persistence';
import { AUDIT_SEQUENCER, type AuditSequencerKick } from './tokens.js';

/**
 * The kick goes only after the commit, when the sequencer can see the event. It returns nothing to wait
 * for, so the commit (and the request behind it) never waits for Redis.
 */
@Injectable()
export class AuditSequencerTrigger implements OnModuleInit {
  constructor(
    private readonly storage: Storage,
    @Inject(AUDIT_SEQUENCER) private readonly sequencer: AuditSequencerKick,
  ) {}

  onModuleInit(): void {
    this.storage.afterAuditedCommit(() => this.sequencer.kick());
  }
}
