// The columns every versioned row has: created, updated and the optimistic-lock version.
import { CreateDateColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** Every mutable row: an optimistic-locking `version` (a stale one is a 409) and its timestamps. */
export abstract class VersionedEntity {
  @VersionColumn({ name: 'version', type: 'integer' })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
