// The users table: role, digest preference, active flag and token epoch.
import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { VersionedEntity } from './versioned.entity.js';
import type { ReminderDelivery, Role } from '#domain';

@Entity({ name: 'users' })
@Unique('uq_users_email', ['email'])
@Unique('uq_users_calendar_token_hash', ['calendarTokenHash'])
@Unique('uq_users_oidc_subject', ['oidcIssuer', 'oidcSubject'])
@Check('ck_users_oidc_link', '(oidc_issuer IS NULL) = (oidc_subject IS NULL)')
@Check('ck_users_email_lower', `email = lower(email)`)
@Check('ck_users_role', `role IN ('admin', 'manager', 'inspector', 'liaison')`)
@Check('ck_users_all_organisations', `NOT all_organisations OR role = 'manager'`)
@Check('ck_users_reminder_delivery', `reminder_delivery IN ('immediate', 'daily_digest')`)
export class UserEntity extends VersionedEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_users' })
  id: string;

  /** Always stored lower-case (a CHECK constraint refuses anything else): lower-case it before saving or looking up. */
  @Column('text')
  email: string;

  @Column('text')
  name: string;

  /** argon2id; null for someone invited who has not chosen a password yet (they cannot sign in with one). */
  @Column('text', { name: 'password_hash', nullable: true })
  passwordHash: string | null;

  @Column('text')
  role: Role;

  @Column('text', { name: 'reminder_delivery', default: 'immediate' })
  reminderDelivery: ReminderDelivery;

  /** A manager who sees every force, chosen explicitly (never implied by having no forces). Only managers carry it. */
  @Column('boolean', { name: 'all_organisations', default: false })
  allOrganisations: boolean;

  /** A deactivated user cannot sign in, their tokens and sessions stop, and they are sent nothing. */
  @Column('boolean', { default: true })
  active: boolean;

  /** Tokens carry the epoch they were issued in; signing out bumps it, which ends every earlier token. */
  @Column('integer', { name: 'token_epoch', default: 0 })
  tokenEpoch: number;

  /**
   * The authenticator (TOTP) key, encrypted (AES-256-GCM, key derived from AUDIT_KEY); null without two-factor sign-in.
   */
  @Column('text', { name: 'totp_secret', nullable: true })
  totpSecret: string | null;

  @Column({ name: 'totp_enabled_at', type: 'timestamptz', precision: 3, nullable: true })
  totpEnabledAt: Date | null;

  /** The last time step whose code was accepted: a code is never accepted twice. */
  @Column('integer', { name: 'totp_last_step', nullable: true })
  totpLastStep: number | null;

  /** sha256 (hex) of each unused recovery code. */
  @Column('text', { name: 'recovery_code_hashes', array: true, default: () => "'{}'" })
  recoveryCodeHashes: string[];

  /** sha256 (hex) of the calendar feed token; the token itself is never stored. */
  @Column('text', { name: 'calendar_token_hash', nullable: true })
  calendarTokenHash: string | null;

  /** The latest sign-in, and the one before it ("what changed since your last visit" starts there). */
  @Column({ type: 'timestamptz', precision: 3, name: 'last_sign_in_at', nullable: true })
  lastSignInAt: Date | null;

  @Column({ type: 'timestamptz', precision: 3, name: 'previous_sign_in_at', nullable: true })
  previousSignInAt: Date | null;

  /**
   * Single sign-on: the identity provider (issuer) and its stable id for the person (subject); both null for a password
   * account.
   */
  @Column('text', { name: 'oidc_issuer', nullable: true })
  oidcIssuer: string | null;

  @Column('text', { name: 'oidc_subject', nullable: true })
  oidcSubject: string | null;
}
