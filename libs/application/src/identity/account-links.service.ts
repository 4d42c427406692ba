// Invitations and password resets: one-time links (only their hashes stored), used once to set a password that ends
// every other sign-in.
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, DomainErrorCode, invalidInput, notFound, type Actor } from '#domain';
import { hashOneTimeToken, hashPassword, ONE_TIME_TOKEN, passwordProblem } from '#auth';
import { Storage, type AccountLinkEntity, type AccountLinkPurpose } from '#persistence';
import { CLOCK, type Clock } from '../tokens.js';
import { UsersService, type CreateUserInput } from '../users.service.js';
import type { UserView } from '../views.js';
import { identitySettings, type IdentitySettings } from './identity-settings.js';
import { SSO_ONLY_REFUSAL } from './sso-only.js';
import { ACCOUNT_MAIL, type AccountMailKick } from './ports.js';

/** What a link is now: `unknown` covers a token never issued, tampered with, or replaced by a newer email. */
export type LinkState = 'valid' | 'expired' | 'used' | 'unknown';

/** Where a person's invitation stands, for the administrator's page. */
export interface InvitationStatus {
  state: 'none' | 'sending' | 'sent' | 'expired' | 'accepted' | 'revoked';
  expiresAt: Date | null;
  sentAt: Date | null;
}

@Injectable()
export class AccountLinksService {
  private readonly settings: IdentitySettings;

  constructor(
    private readonly storage: Storage,
    private readonly users: UsersService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ACCOUNT_MAIL) private readonly mail: AccountMailKick,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.settings = identitySettings(config);
  }

  /** Adds a person without a password: the worker emails them an invitation to choose one. */
  async invite(actor: Actor, input: Omit<CreateUserInput, 'password' | 'invitation'>): Promise<UserView> {
    const created = await this.users.create(actor, { ...input, invitation: { expiresAt: this.expiry('invitation') } });
    this.mail.kick();
    return created;
  }

  /** A new invitation for someone who has not chosen a password yet; the earlier links stop working. */
  async resendInvitation(actor: Actor, userId: string): Promise<void> {
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      const user = await tx.users.lockForUpdate(userId);
      if (!user) throw notFound('user');
      if (!user.active)
        throw new DomainError(
          DomainErrorCode.Conflict,
          'the person is deactivated: reactivate them before inviting them again',
        );
      if (user.passwordHash !== null)
        throw new DomainError(
          DomainErrorCode.Conflict,
          'the person has already chosen a password: they can use "Forgotten your password?"',
        );
      if (await tx.singleSignOn.passwordBarred({ id: userId }))
        throw new DomainError(DomainErrorCode.Conflict, SSO_ONLY_REFUSAL);
      await tx.accountLinks.revokePending(userId, now, 'invitation');
      await tx.accountLinks.add({
        userId,
        purpose: 'invitation',
        expiresAt: this.expiry('invitation'),
        createdBy: actor.id,
        createdAt: now,
      });
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'user',
        entityId: userId,
        action: 'user.invitation_sent',
        changes: {},
      });
    });
    this.mail.kick();
  }

  /** Ends the person's pending invitation links; 409 when none is pending. */
  async revokeInvitation(actor: Actor, userId: string): Promise<void> {
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      const user = await tx.users.lockForUpdate(userId);
      if (!user) throw notFound('user');
      if ((await tx.accountLinks.revokePending(userId, now, 'invitation')) === 0)
        throw new DomainError(DomainErrorCode.Conflict, 'there is no pending invitation to revoke');
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'user',
        entityId: userId,
        action: 'user.invitation_revoked',
        changes: {},
      });
    });
  }

  async invitationStatus(userId: string): Promise<InvitationStatus> {
    const link = await this.storage.pool.accountLinks.latest(userId, 'invitation');
    if (!link) return { state: 'none', expiresAt: null, sentAt: null };
    const state = link.usedAt
      ? 'accepted'
      : link.revokedAt
        ? 'revoked'
        : link.expiresAt <= this.clock.now()
          ? 'expired'
          : link.sentAt
            ? 'sent'
            : 'sending';
    return { state, expiresAt: link.expiresAt, sentAt: link.sentAt };
  }

  /**
   * A reset link for the active person with this email, if there is one; nothing otherwise. The caller
   * answers the same either way (and should not wait for this), so the answer tells nobody which emails exist.
   */
  async requestReset(email: string): Promise<void> {
    const now = this.clock.now();
    const sent = await this.storage.transaction(async (tx) => {
      const user = await tx.users.findByEmail(email.trim().toLowerCase());
      // No link for someone who signs in only through the identity provider (nor for nobody, or a deactivated person).
      if (!user || !user.active || (await tx.singleSignOn.passwordBarred({ id: user.id }))) return false;
      await tx.accountLinks.revokePending(user.id, now, 'password_reset');
      await tx.accountLinks.add({
        userId: user.id,
        purpose: 'password_reset',
        expiresAt: this.expiry('password_reset'),
        createdBy: null,
        createdAt: now,
      });
      await tx.audit.record(now, {
        actorId: null,
        entityType: 'user',
        entityId: user.id,
        action: 'user.password_reset_requested',
        changes: {},
      });
      return true;
    });
    if (sent) this.mail.kick();
  }

  /** What the link of `token` is now (for the page it opens), and whose it is when valid. */
  async inspect(purpose: AccountLinkPurpose, token: string): Promise<{ state: LinkState; name?: string }> {
    const link = ONE_TIME_TOKEN.test(token)
      ? await this.storage.pool.accountLinks.findByTokenHash(hashOneTimeToken(token))
      : null;
    const state = this.stateOf(link, purpose);
    if (state !== 'valid' || !link) return { state };
    const user = await this.storage.pool.users.findById(link.userId);
    // Someone whose organisation became single sign-on only has no password to choose.
    return user?.active && !(await this.storage.pool.singleSignOn.passwordBarred({ id: user.id }))
      ? { state, name: user.name }
      : { state: 'unknown' };
  }

  /**
   * Sets the person's password with the link of `token`, once. Every other session and API token of theirs
   * ends (the token epoch moves on), and every other link of theirs stops working. Throws `invalidInput`
   * naming `password` for a refused password (the link stays usable), `Conflict` with the link's state
   * otherwise. Returns whose password it was.
   */
  async setPassword(purpose: AccountLinkPurpose, token: string, password: string): Promise<{ userId: string }> {
    const now = this.clock.now();
    const tokenHash = ONE_TIME_TOKEN.test(token) ? hashOneTimeToken(token) : null;
    if (!tokenHash) throw new DomainError(DomainErrorCode.Conflict, 'link unknown');
    // Checked first so that a refused password does not hold the row lock through argon2.
    const peek = await this.inspect(purpose, token);
    if (peek.state !== 'valid') throw new DomainError(DomainErrorCode.Conflict, `link ${peek.state}`);
    const link = await this.storage.pool.accountLinks.findByTokenHash(tokenHash);
    const owner = link && (await this.storage.pool.users.findById(link.userId));
    const refused = passwordProblem(password, owner ? [owner.name, owner.email] : []);
    if (refused) throw invalidInput(`password is refused: ${refused}`);
    const passwordHash = await hashPassword(password);
    return this.storage.transaction(async (tx) => {
      const locked = await tx.accountLinks.lockByTokenHash(tokenHash);
      const state = this.stateOf(locked, purpose);
      if (state !== 'valid' || !locked) throw new DomainError(DomainErrorCode.Conflict, `link ${state}`);
      const user = await tx.users.lockForUpdate(locked.userId);
      if (!user || !user.active || (await tx.singleSignOn.passwordBarred({ id: user.id })))
        throw new DomainError(DomainErrorCode.Conflict, 'link unknown');
      await tx.users.update(user.id, {
        passwordHash,
        tokenEpoch: user.tokenEpoch + 1,
        version: user.version + 1,
        updatedAt: now,
      });
      await tx.accountLinks.markUsed(locked.id, now);
      await tx.accountLinks.revokePending(user.id, now);
      await tx.audit.record(now, {
        actorId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'user.password_set',
        changes: { via: purpose },
      });
      return { userId: user.id };
    });
  }

  private stateOf(link: AccountLinkEntity | null, purpose: AccountLinkPurpose): LinkState {
    if (!link || link.purpose !== purpose || link.revokedAt) return 'unknown';
    if (link.usedAt) return 'used';
    if (link.expiresAt <= this.clock.now()) return 'expired';
    return 'valid';
  }

  private expiry(purpose: AccountLinkPurpose): Date {
    return new Date(
      this.clock.now().getTime() + (purpose === 'invitation' ? this.settings.inviteTtlMs : this.settings.resetTtlMs),
    );
  }
}
