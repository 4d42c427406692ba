/** Deactivation (`users.active`) and sign-out (`users.token_epoch`, bumped to end every token issued before). */
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UserActiveTokenEpoch1795470000000 implements MigrationInterface {
  name = 'UserActiveTokenEpoch1795470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true, ADD COLUMN token_epoch integer NOT NULL DEFAULT 0`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN token_epoch, DROP COLUMN active`);
  }
}
