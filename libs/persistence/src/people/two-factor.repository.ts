// Two-factor sign-in state on `users`: turning it on and off, and the atomic claims that make each code and recovery
// code work once.
import type { EntityManager } from 'typeorm';
import { UserEntity } from '../entities/user.entity.js';

export interface TwoFactorRow {
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  totpLastStep: number | null;
  recoveryCodes: number;
}

export class TwoFactorRepository {
  constructor(private readonly db: EntityManager) {}

  async state(userId: string): Promise<TwoFactorRow | null> {
    const user = await this.db.findOne(UserEntity, {
      where: { id: userId },
      select: { id: true, totpSecret: true, totpEnabledAt: true, totpLastStep: true, recoveryCodeHashes: true },
    });
    return user
      ? {
          totpSecret: user.totpSecret,
          totpEnabledAt: user.totpEnabledAt,
          totpLastStep: user.totpLastStep,
          recoveryCodes: user.recoveryCodeHashes.length,
        }
      : null;
  }

  async enable(
    userId: string,
    encryptedSecret: string,
    step: number,
    recoveryCodeHashes: readonly string[],
    at: Date,
  ): Promise<void> {
    await this.db.update(
      UserEntity,
      { id: userId },
      {
        totpSecret: encryptedSecret,
        totpEnabledAt: at,
        totpLastStep: step,
        recoveryCodeHashes: [...recoveryCodeHashes],
      },
    );
  }

  async disable(userId: string): Promise<void> {
    await this.db.update(
      UserEntity,
      { id: userId },
      { totpSecret: null, totpEnabledAt: null, totpLastStep: null, recoveryCodeHashes: [] },
    );
  }

  /** Records `step` as used if it is later than every step used before; false when it is not (a replayed code). */
  async claimStep(userId: string, step: number): Promise<boolean> {
    const [{ count }]: { count: number }[] = await this.db.query(
      `WITH claimed AS (
         UPDATE users SET totp_last_step = $2
          WHERE id = $1 AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING 1)
       SELECT count(*)::int AS count FROM claimed`,
      [userId, step],
    );
    return count === 1;
  }

  /** Removes the recovery code of this hash; false when the person has no such unused code. */
  async useRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
    const [{ count }]: { count: number }[] = await this.db.query(
      `WITH used AS (
         UPDATE users SET recovery_code_hashes = array_remove(recovery_code_hashes, $2)
          WHERE id = $1 AND $2 = ANY(recovery_code_hashes) RETURNING 1)
       SELECT count(*)::int AS count FROM used`,
      [userId, codeHash],
    );
    return count === 1;
  }
}
