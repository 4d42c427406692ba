// The notification ledger's table: one row per notice and recipient, with its state (see
// libs/domain/src/notifications/ledger.ts).
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import {
  ALL_DEADLINE_TYPES,
  ALL_NOTIFICATION_KINDS,
  ALL_NOTIFICATION_STATUSES,
  NotificationStatus,
  type DeadlineType,
  type NotificationKind,
} from '#domain';

const quoted = (s: string): string => `'${s}'`;

/** The delivery ledger (outbox): one row per (deadline, kind, offset, recipient), deduplicated by `dedupKey`. */
@Entity({ name: 'notifications' })
@Unique('uq_notifications_dedup_key', ['dedupKey'])
// The domain's lists: kept in step in the database by syncListChecks after the migrations (list-checks.ts).
@Check('ck_notifications_deadline_type', `deadline_type IN (${ALL_DEADLINE_TYPES.map(quoted).join(', ')})`)
@Check('ck_notifications_kind', `kind IN (${ALL_NOTIFICATION_KINDS.map(quoted).join(', ')})`)
@Check('ck_notifications_status', `status IN (${ALL_NOTIFICATION_STATUSES.map(quoted).join(', ')})`)
@Check('ck_notifications_attempts', `attempts >= 0`)
// Every claim looks a batch up, and so does the check that its Message-ID is still free: all statuses.
@Index('ix_notifications_batch_key', ['batchKey'])
@Index('ix_notifications_send_at_scheduled', ['sendAt'], { where: `status = ${quoted(NotificationStatus.Scheduled)}` })
@Index('ix_notifications_claimed_at_sending', ['claimedAt'], {
  where: `status = ${quoted(NotificationStatus.Sending)}`,
})
@Index('ix_notifications_recommendation_id_created_at', ['recommendationId', 'createdAt'])
@Index('ix_notifications_status_created_at_id', ['status', 'createdAt', 'id'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_notifications' })
  id: string;

  @Column('text', { name: 'dedup_key' })
  dedupKey: string;

  /** FK recommendations ON DELETE CASCADE; null for summaries that are about no single recommendation. */
  @Column('uuid', { name: 'recommendation_id', nullable: true })
  recommendationId: string | null;

  @Column('uuid', { name: 'inspection_id', nullable: true })
  inspectionId: string | null;

  @Column('uuid', { name: 'organisation_id', nullable: true })
  organisationId: string | null;

  @Column('text', { name: 'deadline_type' })
  deadlineType: DeadlineType;

  @Column({ type: 'timestamptz', precision: 3, name: 'deadline_at' })
  deadlineAt: Date;

  @Column('text')
  kind: NotificationKind;

  /**
   * Which offset of its deadline: an ISO 8601 duration before it for reminders (`P7D`), `P0D`, or an escalation's
   * `step-N`.
   */
  @Column('text', { name: 'offset_key' })
  offsetKey: string;

  /** FK users ON DELETE CASCADE. */
  @Column('uuid', { name: 'recipient_id' })
  recipientId: string;

  @Column('text', { name: 'recipient_email' })
  recipientEmail: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'send_at' })
  sendAt: Date;

  /** Rows with one batch key go out as one email. */
  @Column('text', { name: 'batch_key' })
  batchKey: string;

  @Column('text', { default: NotificationStatus.Scheduled })
  status: NotificationStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  /** After a transient failure: not claimed again before this. */
  @Column({ type: 'timestamptz', precision: 3, name: 'retry_at', nullable: true })
  retryAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, name: 'claimed_at', nullable: true })
  claimedAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('text', { name: 'message_id', nullable: true })
  messageId: string | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
