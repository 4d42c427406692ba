// Migration: personal API tokens (only a hash kept) and the one row of settings saying which roles may make them.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `api_tokens`: a person's named token, scoped `read-only` or `read-write`, with an optional expiry; only the
 * sha256 of the token is kept. It works while its `token_epoch` equals its owner's (a password set or reset,
 * a two-factor reset, deactivation or signing out of the API moves that on). `api_token_settings`: one row,
 * the roles an administrator allows to make and use tokens; none until one is allowed.
 */
export class ApiTokens1796600000000 implements MigrationInterface {
  name = 'ApiTokens1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        name text NOT NULL,
        scope text NOT NULL,
        token_hash text NOT NULL,
        token_epoch integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3),
        last_used_at timestamptz(3),
        revoked_at timestamptz(3),
        revoked_by uuid,
        CONSTRAINT pk_api_tokens PRIMARY KEY (id),
        CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT uq_api_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT ck_api_tokens_scope CHECK (scope IN ('read-only', 'read-write')),
        CONSTRAINT ck_api_tokens_name CHECK (length(name) BETWEEN 1 AND 100)
      )`);
    await q.query(`CREATE INDEX ix_api_tokens_user_id ON api_tokens (user_id)`);
    await q.query(`
      CREATE TABLE api_token_settings (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        singleton boolean NOT NULL DEFAULT true,
        allowed_roles text[] NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_api_token_settings PRIMARY KEY (id),
        CONSTRAINT uq_api_token_settings_singleton UNIQUE (singleton),
        CONSTRAINT ck_api_token_settings_singleton CHECK (singleton),
        CONSTRAINT ck_api_token_settings_roles CHECK (allowed_roles <@ ARRAY['admin', 'manager', 'inspector', 'liaison']::text[])
      )`);
    await q.query(`INSERT INTO api_token_settings DEFAULT VALUES`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_token_settings`);
    await q.query(`DROP TABLE api_tokens`);
  }
}
