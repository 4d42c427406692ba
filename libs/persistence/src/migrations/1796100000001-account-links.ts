// Migration: one-time account links (invitations, password resets) stored only as hashes; a person may have no password
// yet.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `account_links` holds each invitation and password-reset link: only the sha256 of its token, which the
 * worker mints when it sends the email (`token_hash` stays null until then), its expiry, and when it was
 * sent, used or revoked. An invited person has no password until they choose one.
 */
export class AccountLinks1796100000001 implements MigrationInterface {
  name = 'AccountLinks1796100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`
      CREATE TABLE account_links (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        purpose text NOT NULL,
        token_hash text,
        created_by uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        sent_at timestamptz(3),
        used_at timestamptz(3),
        revoked_at timestamptz(3),
        send_error text,
        CONSTRAINT pk_account_links PRIMARY KEY (id),
        CONSTRAINT fk_account_links_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT uq_account_links_token_hash UNIQUE (token_hash),
        CONSTRAINT ck_account_links_purpose CHECK (purpose IN ('invitation', 'password_reset'))
      )`);
    await q.query(`CREATE INDEX ix_account_links_user_id ON account_links (user_id)`);
    await q.query(
      `CREATE INDEX ix_account_links_unsent ON account_links (created_at) WHERE sent_at IS NULL AND used_at IS NULL AND revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account_links`);
    await q.query(`UPDATE users SET password_hash = '!' WHERE password_hash IS NULL`);
    await q.query(`ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL`);
  }
}
