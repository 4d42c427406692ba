// Migration: single sign-on. Accounts linked to an identity provider's person (issuer + subject), and organisations
// whose people sign in only that way.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SingleSignOn1796500000000 implements MigrationInterface {
  name = 'SingleSignOn1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN oidc_issuer text, ADD COLUMN oidc_subject text`);
    await q.query(
      `ALTER TABLE users ADD CONSTRAINT ck_users_oidc_link CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL))`,
    );
    await q.query(`ALTER TABLE users ADD CONSTRAINT uq_users_oidc_subject UNIQUE (oidc_issuer, oidc_subject)`);
    await q.query(`ALTER TABLE organisations ADD COLUMN sso_only boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisations DROP COLUMN sso_only`);
    await q.query(
      `ALTER TABLE users DROP CONSTRAINT uq_users_oidc_subject, DROP CONSTRAINT ck_users_oidc_link, DROP COLUMN oidc_subject, DROP COLUMN oidc_issuer`,
    );
  }
}
