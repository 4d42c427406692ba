// One-time account links: invitations and password resets, kept as hashes of their tokens.
import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type AccountLinkPurpose = 'invitation' | 'password_reset';

/** A link emailed to a person; the token itself is never stored, only its sha256 (hex). */
@Entity({ name: 'account_links' })
@Unique('uq_account_links_token_hash', ['tokenHash'])
@Check('ck_account_links_purpose', `purpose IN ('invitation', 'password_reset')`)
@Index('ix_account_links_user_id', ['userId'])
@Index('ix_account_links_unsent', ['createdAt'], {
  where: 'sent_at IS NULL AND used_at IS NULL AND revoked_at IS NULL',
})
export class AccountLinkEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_account_links' })
  id: string;

  /** FK users ON DELETE CASCADE. */
  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  purpose: AccountLinkPurpose;

  /** Null until the worker mints the token as it sends the email. */
  @Column('text', { name: 'token_hash', nullable: true })
  tokenHash: string | null;

  /** The administrator who invited (null: the person asked for a reset themselves). */
  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;

  @Column({ name: 'used_at', type: 'timestamptz', precision: 3, nullable: true })
  usedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;

  /** Why the email could not be sent for good (the SMTP server refused it); the link is then revoked. */
  @Column('text', { name: 'send_error', nullable: true })
  sendError: string | null;
}
