// CSRF for forms shown to people not signed in (sign-in, and later one-time links): a signed double-submit cookie and
// Sec-Fetch-Site, with no session in Redis.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** Set only on a page that shows such a form; holds a random value the form's token is a signature of. */
export const FORM_COOKIE = 'followup.form';

/**
 * Stateless: the cookie holds a random nonce, the form's hidden `_csrf` holds HMAC(secret, nonce). Another
 * site can neither read the cookie nor compute the signature, and a browser tells where a post came from
 * (`Sec-Fetch-Site`), which is checked too where it is sent.
 */
export class AnonymousFormTokens {
  constructor(private readonly secret: string) {}

  /** The nonce from the request's cookie, if it has a well-formed one. */
  nonceOf(req: Request): string | undefined {
    const match = /(?:^|;\s*)followup\.form=([A-Za-z0-9_-]{24})(?:;|$)/.exec(req.headers.cookie ?? '');
    return match?.[1];
  }

  /** A token for a form on this page, and the cookie to send with it when the request had none. */
  issue(req: Request): { token: string; setCookie?: (res: Response) => void } {
    const existing = this.nonceOf(req);
    const nonce = existing ?? randomBytes(18).toString('base64url');
    const token = this.sign(nonce);
    if (existing) return { token };
    return {
      token,
      setCookie: (res) =>
        res.cookie(FORM_COOKIE, nonce, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/' }),
    };
  }

  /** Whether a post carries the signature of its own cookie, and was not sent by another site. */
  verify(req: Request, token: string | undefined): boolean {
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
    const nonce = this.nonceOf(req);
    if (!nonce || typeof token !== 'string') return false;
    const expected = Buffer.from(this.sign(nonce));
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(nonce: string): string {
    return createHmac('sha256', this.secret).update(`anonymous form ${nonce}`).digest('base64url');
  }
}
