// One-time account links: adding, finding by token hash, the worker's claim of unsent ones, use and revocation.
import type { EntityManager } from 'typeorm';
import type { Role } from '#domain';
import { AccountLinkEntity, type AccountLinkPurpose } from '../entities/account-link.entity.js';
import { assertInTransaction } from '../transactions.js';

/** An unsent link with the person it goes to, locked by the worker that sends it. */
export interface UnsentLinkRow {
  id: string;
  userId: string;
  purpose: AccountLinkPurpose;
  expiresAt: Date;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

export class AccountLinksRepository {
  constructor(private readonly db: EntityManager) {}

  async add(link: {
    userId: string;
    purpose: AccountLinkPurpose;
    expiresAt: Date;
    createdBy: string | null;
    createdAt: Date;
  }): Promise<AccountLinkEntity> {
    return this.db.save(this.db.create(AccountLinkEntity, link));
  }

  /** The link whose token hashes to `tokenHash`, locked until the transaction ends; null for none. */
  lockByTokenHash(tokenHash: string): Promise<AccountLinkEntity | null> {
    assertInTransaction(this.db, 'lockByTokenHash');
    return this.db.findOne(AccountLinkEntity, { where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  findByTokenHash(tokenHash: string): Promise<AccountLinkEntity | null> {
    return this.db.findOneBy(AccountLinkEntity, { tokenHash });
  }

  /** The person's newest link of this purpose (any state), or null. */
  latest(userId: string, purpose: AccountLinkPurpose): Promise<AccountLinkEntity | null> {
    return this.db.findOne(AccountLinkEntity, { where: { userId, purpose }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Ends every link of the person not yet used (of one purpose, or all); says how many. */
  async revokePending(userId: string, at: Date, purpose?: AccountLinkPurpose): Promise<number> {
    // A bare UPDATE … RETURNING answers [rows, count] through TypeORM: counted in SQL instead.
    const [{ count }]: { count: number }[] = await this.db.query(
      `WITH revoked AS (
         UPDATE account_links SET revoked_at = $2
          WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND ($3::text IS NULL OR purpose = $3) RETURNING 1)
       SELECT count(*)::int AS count FROM revoked`,
      [userId, at, purpose ?? null],
    );
    return count;
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.db.update(AccountLinkEntity, { id }, { usedAt: at });
  }

  /**
   * The oldest link still to send (not used, revoked or expired), locked; links another worker holds are
   * skipped. Null when there is none.
   */
  async claimUnsent(now: Date): Promise<UnsentLinkRow | null> {
    assertInTransaction(this.db, 'claimUnsent');
    const [row]: UnsentLinkRow[] = await this.db.query(
      `SELECT l.id, l.user_id AS "userId", l.purpose, l.expires_at AS "expiresAt", u.email, u.name, u.role, u.active
         FROM account_links l JOIN users u ON u.id = l.user_id
        WHERE l.sent_at IS NULL AND l.used_at IS NULL AND l.revoked_at IS NULL AND l.expires_at > $1
        ORDER BY l.created_at, l.id LIMIT 1 FOR UPDATE OF l SKIP LOCKED`,
      [now],
    );
    return row ?? null;
  }

  /** The token (its hash) goes with the email: only the last one sent for a link works. */
  async markSent(id: string, tokenHash: string, at: Date): Promise<void> {
    await this.db.update(AccountLinkEntity, { id }, { tokenHash, sentAt: at });
  }

  /** A link whose email can never be sent (refused for good, or the person deactivated) is revoked with the reason. */
  async markUnsendable(id: string, reason: string, at: Date): Promise<void> {
    await this.db.update(AccountLinkEntity, { id }, { revokedAt: at, sendError: reason.slice(0, 500) });
  }
}
