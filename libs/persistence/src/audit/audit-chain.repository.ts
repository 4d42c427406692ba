// The keyed audit chain as the application reads it: its head, for signed checkpoints.
import type { EntityManager } from 'typeorm';
import { chainHead, type ChainHead } from './audit-chain.js';

export class AuditChainRepository {
  constructor(private readonly db: EntityManager) {}

  /** The last link of the chain, or position 0 with the genesis hash. */
  head(): Promise<ChainHead> {
    return chainHead(this.db);
  }
}
