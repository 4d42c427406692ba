// The users table: role, digest preference, active flag and token epoch.
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from './versioned.entity.js';
import type { ReminderDelivery, Role } from '#domain';

@Entity({ name: 'users' })
@Unique('uq_users_email', ['email'])
@Unique('uq_users_calendar_token_hash', ['calendarTokenHash'])
@Check('ck_users_email_lower', `email = lower(email)`)
@Check('ck_users_role', `role IN ('admin', 'manager', 'inspector', 'liaison')`)
@Check('ck_users_reminder_delivery', `reminder_delivery IN ('immediate', 'daily_digest')`)
export class UserEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id: string;

  /** Always stored lower-case (a CHECK constraint refuses anything else): lower-case it before saving or looking up. */
  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text')
  role: Role;

  @Column('text', { name: 'reminder_delivery', default: 'immediate' })
  reminderDelivery: ReminderDelivery;

  /** A deactivated user cannot sign in, their tokens and sessions stop, and they are sent nothing. */
  @Column('boolean', { default: true })
  active: boolean;

  /** Tokens carry the epoch they were issued in; signing out bumps it, which ends every earlier token. */
  @Column('integer', { name: 'token_epoch', default: 0 })
  tokenEpoch: number;

  /** sha256 (hex) of the calendar feed token; the token itself is never stored. */
  @Column('text', { name: 'calendar_token_hash', nullable: true })
  calendarTokenHash: string | null;

  /** The latest sign-in, and the one before it ("what changed since your last visit" starts there). */
  @Column({ type: 'timestamptz', precision: 3, name: 'last_sign_in_at', nullable: true })
  lastSignInAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, name: 'previous_sign_in_at', nullable: true })
  previousSignInAt: Date | null;
}
