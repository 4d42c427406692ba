// Signed checkpoints of the audit chain for administrators (GET /audit/checkpoint).
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { Storage, checkpointKeys, signCheckpoint, type AuditCheckpoint, type CheckpointKeys } from '#persistence';
import { CLOCK, type Clock } from './tokens.js';

@Injectable()
export class AuditService {
  private readonly keys: CheckpointKeys;

  constructor(
    private readonly storage: Storage,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.keys = checkpointKeys(config.auditKey);
  }

  /** The chain's current head, signed. Events not yet sequenced are not in it; a later checkpoint will be. */
  async checkpoint(): Promise<AuditCheckpoint> {
    return signCheckpoint(this.keys, await this.storage.pool.auditChain.head(), this.clock.now());
  }
}
