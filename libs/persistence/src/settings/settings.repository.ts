// Settings the processes share through the database (app_settings), each generated once by whichever process comes
// first.
import type { EntityManager } from 'typeorm';

export class SettingsRepository {
  constructor(private readonly db: EntityManager) {}

  /**
   * The stored JWT secret; `generated` is stored first when there is none yet, so every process ends up with the same
   * one.
   */
  async jwtSecret(generated: string): Promise<string> {
    await this.db.query(
      `INSERT INTO app_settings (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`,
      [generated],
    );
    const [row]: { value: string }[] = await this.db.query(`SELECT value FROM app_settings WHERE key = 'jwt_secret'`);
    return row.value;
  }
}
