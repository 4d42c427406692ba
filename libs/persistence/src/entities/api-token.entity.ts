// Personal API tokens (only the sha256 of each is kept) and the settings row naming the roles allowed them.
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type ApiTokenScope = 'read-only' | 'read-write';

/** A person's named token; works while `tokenEpoch` is its owner's, it is not revoked and not past `expiresAt`. */
@Entity({ name: 'api_tokens' })
@Unique('uq_api_tokens_token_hash', ['tokenHash'])
@Check('ck_api_tokens_scope', `scope IN ('read-only', 'read-write')`)
@Check('ck_api_tokens_name', `length(name) BETWEEN 1 AND 100`)
@Index('ix_api_tokens_user_id', ['userId'])
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_tokens' })
  id: string;

  /** FK users ON DELETE CASCADE. */
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  name: string;

  @Column('text')
  scope: ApiTokenScope;

  /** sha256 (hex) of the whole token, prefix included. */
  @Column('text', { name: 'token_hash' })
  tokenHash: string;

  /** The owner's users.token_epoch when it was made. */
  @Column('integer', { name: 'token_epoch' })
  tokenEpoch: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  /** Updated at most once a minute. */
  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  @Column('uuid', { name: 'revoked_by', nullable: true })
  revokedBy: string | null;
}

/** The one row (singleton) of API token settings. */
@Entity({ name: 'api_token_settings' })
@Unique('uq_api_token_settings_singleton', ['singleton'])
@Check('ck_api_token_settings_singleton', `singleton`)
@Check('ck_api_token_settings_roles', `allowed_roles <@ ARRAY['admin', 'manager', 'inspector', 'liaison']::text[]`)
export class ApiTokenSettingsEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_token_settings' })
  id: string;

  @Column('boolean', { default: true })
  singleton: boolean;

  @Column('text', { name: 'allowed_roles', array: true, default: () => "'{}'" })
  allowedRoles: string[];

  @Column('integer', { default: 1 })
  version: number;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
