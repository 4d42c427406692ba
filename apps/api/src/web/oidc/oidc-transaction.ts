// The sign-in in flight between leaving for the identity provider and coming back: state, nonce and PKCE verifier,
// sealed in a short-lived cookie (any API process can read it; nothing is held in memory).
import type { Request, Response } from 'express';
import { deriveKey, openSecret, sealSecret } from '#auth';

export interface OidcTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  startedAt: number;
}

export const OIDC_COOKIE = 'followup.oidc';
const COOKIE_PATH = '/sign-in/oidc';
/** The person has this long at the identity provider. */
export const OIDC_TRANSACTION_MS = 10 * 60_000;

/**
 * Seals the transaction (AES-256-GCM, a key derived from AUDIT_KEY for this purpose): it can be neither read nor
 * changed by the browser.
 */
export class OidcTransactions {
  private readonly key: Buffer;

  constructor(rootKey: string) {
    this.key = deriveKey(rootKey, 'oidc sign-in transaction');
  }

  keep(req: Request, res: Response, transaction: OidcTransaction): void {
    // SameSite=Lax: the browser sends it on the provider's top-level redirect back to the callback, never on a
    // cross-site post.
    res.cookie(OIDC_COOKIE, sealSecret(this.key, JSON.stringify(transaction)), {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: COOKIE_PATH,
      maxAge: OIDC_TRANSACTION_MS,
    });
  }

  /** The transaction of this browser, if it is genuine and fresh; the cookie is cleared either way (it works once). */
  take(req: Request, res: Response): OidcTransaction | null {
    const sealed = cookieValue(req.headers.cookie, OIDC_COOKIE);
    res.clearCookie(OIDC_COOKIE, { path: COOKIE_PATH });
    if (!sealed) return null;
    try {
      const transaction = JSON.parse(openSecret(this.key, sealed)) as OidcTransaction;
      return Date.now() - transaction.startedAt < OIDC_TRANSACTION_MS ? transaction : null;
    } catch {
      return null;
    }
  }
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}
