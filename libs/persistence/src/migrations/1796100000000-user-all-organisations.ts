// Migration: "all forces" is an explicit choice on a manager (users.all_organisations), never the empty set of forces.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Until now a manager with no forces saw every force, so removing someone's last force widened what they
 * saw. The flag makes "all forces" a choice of its own. Managers who have no forces today keep the access
 * they have: they are migrated to the flag. Only a manager may carry it (administrators and inspectors see
 * every force by role), and a manager with the flag belongs to no force in particular.
 */
export class UserAllOrganisations1796100000000 implements MigrationInterface {
  name = 'UserAllOrganisations1796100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN all_organisations boolean NOT NULL DEFAULT false`);
    await q.query(
      `UPDATE users u SET all_organisations = true
        WHERE u.role = 'manager' AND NOT EXISTS (SELECT 1 FROM user_organisations uo WHERE uo.user_id = u.id)`,
    );
    await q.query(
      `ALTER TABLE users ADD CONSTRAINT ck_users_all_organisations CHECK (NOT all_organisations OR role = 'manager')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_all_organisations, DROP COLUMN all_organisations`);
  }
}
