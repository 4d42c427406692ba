// Setting up two-factor sign-in, as the sign-in step and the account page both do it: a key the session keeps until a
// code confirms it, its QR code, and the confirming code counted against the sign-in limit.
import type { Request } from 'express';
import QRCode from 'qrcode';
import type { TwoFactorService } from '#application';
import { DomainError, DomainErrorCode } from '#domain';
import type { LoginAttempt, LoginLimiter } from '../shared/login-limiter.js';
import { saveSession } from './sign-in-session.js';
import type { FieldMessage } from './view-models/form-errors.js';
import { NO_CODE, readCode, TOO_MANY } from './view-models/two-factor.js';

/** The code did not confirm the key being set up. */
const WRONG_SET_UP_CODE: FieldMessage = {
  field: 'code',
  text: 'Enter the code your authenticator app shows now for the key above',
};

/** The key being set up: the one the session holds, else a new one the session keeps (`keep`) from now on. */
export async function setUpKey(
  twoFactor: TwoFactorService,
  req: Request,
  email: string,
  held: string | undefined,
  keep: (secret: string) => void,
): Promise<string> {
  if (held) return held;
  const { secret } = twoFactor.newKey(email);
  keep(secret);
  await saveSession(req);
  return secret;
}

/** The key as a QR code (a data: URL) for the authenticator app to scan. */
export const setUpQrCode = (twoFactor: TwoFactorService, email: string, secret: string): Promise<string> =>
  QRCode.toDataURL(twoFactor.uriFor(email, secret), { margin: 1, width: 200 });

/** Takes an attempt from the sign-in allowance (a code counts as a password does): false once it is spent. */
export async function consumeSignInAttempt(limiter: LoginLimiter, attempt: LoginAttempt): Promise<boolean> {
  try {
    await limiter.consume(attempt);
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === DomainErrorCode.RateLimited) return false;
    throw error;
  }
}

/** What a set-up code came to: two-factor sign-in on and its recovery codes, or the problem to show with its status. */
export type SetUpOutcome = { codes: string[] } | { problem: FieldMessage; status: number };

/**
 * Turns two-factor sign-in on for `userId` with `secret` once the code in `body` matches it; the code counts against
 * the sign-in limit of `attempt`, and a right one gives its attempt back.
 */
export async function confirmSetUp(
  twoFactor: TwoFactorService,
  limiter: LoginLimiter,
  userId: string,
  secret: string,
  body: unknown,
  attempt: LoginAttempt,
): Promise<SetUpOutcome> {
  const code = readCode(body);
  if (code === '') return { problem: NO_CODE, status: 400 };
  if (!(await consumeSignInAttempt(limiter, attempt))) return { problem: TOO_MANY, status: 429 };
  let codes: string[];
  try {
    codes = await twoFactor.enable(userId, secret, code);
  } catch (error) {
    if (error instanceof DomainError && error.code === DomainErrorCode.InvalidInput)
      return { problem: WRONG_SET_UP_CODE, status: 400 };
    throw error;
  }
  await limiter.succeeded(attempt);
  return { codes };
}
