// A signed-in person changes their own password (the caller has checked the current one through the login limit).
import { Inject, Injectable } from '@nestjs/common';
import { invalidInput, notFound, type Actor } from '#domain';
import { hashPassword, passwordProblem } from '#auth';
import { Storage } from '#persistence';
import { CLOCK, type Clock } from '../tokens.js';

@Injectable()
export class PasswordsService {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Sets the actor's new password (the policy's reason when refused, naming `password`). Every API token
   * ends (the token epoch moves on) and every pending invitation or reset link stops working; the caller
   * ends the other web sessions. Returns the new token epoch, for the session that stays.
   */
  async change(actor: Actor, newPassword: string): Promise<{ tokenEpoch: number }> {
    const current = await this.storage.pool.users.findById(actor.id);
    if (!current) throw notFound('user');
    const refused = passwordProblem(newPassword, [current.name, current.email]);
    if (refused) throw invalidInput(`password is refused: ${refused}`);
    const passwordHash = await hashPassword(newPassword);
    const now = this.clock.now();
    return this.storage.transaction(async (tx) => {
      const user = await tx.users.lockForUpdate(actor.id);
      if (!user) throw notFound('user');
      await tx.users.update(user.id, {
        passwordHash,
        tokenEpoch: user.tokenEpoch + 1,
        version: user.version + 1,
        updatedAt: now,
      });
      await tx.accountLinks.revokePending(user.id, now);
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'user',
        entityId: user.id,
        action: 'user.password_changed',
        changes: {},
      });
      return { tokenEpoch: user.tokenEpoch + 1 };
    });
  }
}
