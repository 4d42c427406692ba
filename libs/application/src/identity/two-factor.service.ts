// Two-factor sign-in (TOTP, RFC 6238, with otplib): set-up with a confirmed code, ten single-use recovery codes, codes
// that work once.
import { createHash, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verifySync } from 'otplib';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, DomainErrorCode, invalidInput, notFound, type Actor, type Role } from '#domain';
import { deriveKey, openSecret, sealSecret } from '#auth';
import { Storage } from '#persistence';
import { CLOCK, type Clock } from '../tokens.js';
import { identitySettings, type IdentitySettings } from './identity-settings.js';

const ISSUER = 'Follow-up Tracker';
const RECOVERY_CODES = 10;
/** Recovery codes: two groups of five from an alphabet without look-alikes (about 48 bits). */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const CODE = /^\d{6}$/;
const RECOVERY = /^[a-z0-9]{5}-?[a-z0-9]{5}$/;
/** One 30-second step either side, for clocks a little out. */
const TOLERANCE_SECONDS = 30;

/** The TOTP time step a valid code belongs to (otplib types the result as TOTP's or HOTP's). */
const stepOf = (result: object): number => (result as { timeStep: number }).timeStep;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const normaliseRecovery = (code: string) =>
  code
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/^(.{5})(.{5})$/, '$1-$2');

export interface TwoFactorStatus {
  enabled: boolean;
  required: boolean;
  recoveryCodesLeft: number;
}

@Injectable()
export class TwoFactorService {
  private readonly key: Buffer;
  private readonly settings: IdentitySettings;

  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.key = deriveKey(config.auditKey, 'totp secrets');
    this.settings = identitySettings(config);
  }

  required(role: Role): boolean {
    return this.settings.mfaRequiredRoles.has(role);
  }

  async status(userId: string, role: Role): Promise<TwoFactorStatus> {
    const state = await this.storage.pool.twoFactor.state(userId);
    return {
      enabled: Boolean(state?.totpEnabledAt),
      required: this.required(role),
      recoveryCodesLeft: state?.recoveryCodes ?? 0,
    };
  }

  /**
   * A new key to set up an authenticator with (kept by the caller until confirmed), and its otpauth URI for the QR
   * code.
   */
  newKey(email: string): { secret: string; uri: string } {
    const secret = generateSecret();
    return { secret, uri: this.uriFor(email, secret) };
  }

  /** The otpauth:// URI an authenticator app reads from the QR code. */
  uriFor(email: string, secret: string): string {
    return generateURI({ issuer: ISSUER, label: email, secret });
  }

  /**
   * Turns two-factor sign-in on with `secret` once `code` proves the authenticator has it (a wrong code is
   * `invalidInput` naming `code`). Returns the ten recovery codes, shown once; only their hashes are kept.
   */
  async enable(actorId: string, secret: string, code: string): Promise<string[]> {
    const result = CODE.test(code.trim())
      ? verifySync({ secret, token: code.trim(), epochTolerance: TOLERANCE_SECONDS, epoch: this.epoch() })
      : { valid: false as const };
    if (!result.valid)
      throw invalidInput(
        'code is not the one your authenticator app shows: check the key was entered correctly and try the new code',
      );
    const codes = Array.from({ length: RECOVERY_CODES }, () => {
      const raw = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
      return `${raw.slice(0, 5)}-${raw.slice(5)}`;
    });
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      await tx.twoFactor.enable(actorId, sealSecret(this.key, secret), stepOf(result), codes.map(sha256), now);
      await tx.audit.record(now, {
        actorId,
        entityType: 'user',
        entityId: actorId,
        action: 'user.two_factor_enabled',
        changes: {},
      });
    });
    return codes;
  }

  /**
   * Whether `code` (from the authenticator, or a recovery code) is good for this person now. A code is
   * accepted once: its time step, or the recovery code, is used up in the same statement that checks it.
   */
  async verify(userId: string, code: string): Promise<boolean> {
    const state = await this.storage.pool.twoFactor.state(userId);
    if (!state?.totpEnabledAt || !state.totpSecret) return false;
    const typed = code.trim();
    if (CODE.test(typed)) {
      const secret = openSecret(this.key, state.totpSecret);
      const result = verifySync({
        secret,
        token: typed,
        epochTolerance: TOLERANCE_SECONDS,
        epoch: this.epoch(),
        afterTimeStep: state.totpLastStep ?? undefined,
      });
      return result.valid && (await this.storage.pool.twoFactor.claimStep(userId, stepOf(result)));
    }
    if (!RECOVERY.test(typed.toLowerCase().replace(/\s/g, ''))) return false;
    const now = this.clock.now();
    return this.storage.transaction(async (tx) => {
      if (!(await tx.twoFactor.useRecoveryCode(userId, sha256(normaliseRecovery(typed))))) return false;
      await tx.audit.record(now, {
        actorId: userId,
        entityType: 'user',
        entityId: userId,
        action: 'user.recovery_code_used',
        changes: {},
      });
      return true;
    });
  }

  /** Turns it off for someone whose role does not require it. */
  async disable(actor: Actor): Promise<void> {
    if (this.required(actor.role))
      throw new DomainError(DomainErrorCode.Conflict, 'two-factor sign-in is required for your role');
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      await tx.twoFactor.disable(actor.id);
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'user',
        entityId: actor.id,
        action: 'user.two_factor_disabled',
        changes: {},
      });
    });
  }

  /**
   * An administrator clears someone's two-factor sign-in (a lost phone and lost recovery codes); a role that
   * requires it sets it up again at the next sign-in. Their other sign-ins end (the token epoch moves on).
   */
  async reset(actor: Actor, userId: string): Promise<void> {
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      const user = await tx.users.lockForUpdate(userId);
      if (!user) throw notFound('user');
      if (!user.totpEnabledAt)
        throw new DomainError(DomainErrorCode.Conflict, 'two-factor sign-in is not on for this person');
      await tx.twoFactor.disable(userId);
      await tx.users.update(userId, { tokenEpoch: user.tokenEpoch + 1, version: user.version + 1, updatedAt: now });
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'user',
        entityId: userId,
        action: 'user.two_factor_reset',
        changes: {},
      });
    });
  }

  private epoch(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }
}
