// Migration: two-factor sign-in on users: the authenticator key (encrypted), when it was turned on, the last time step
// used, recovery code hashes.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TwoFactor1796100000002 implements MigrationInterface {
  name = 'TwoFactor1796100000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE users ADD COLUMN totp_secret text, ADD COLUMN totp_enabled_at timestamptz(3), ADD COLUMN totp_last_step integer,
                         ADD COLUMN recovery_code_hashes text[] NOT NULL DEFAULT '{}'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE users DROP COLUMN recovery_code_hashes, DROP COLUMN totp_last_step, DROP COLUMN totp_enabled_at, DROP COLUMN totp_secret`,
    );
  }
}
