// Synchroniser-token CSRF protection for every form: the token lives in the session and in a hidden `_csrf` field.
import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

export const csrf = csrfSync({
  getTokenFromRequest: (req: Request) => {
    const token: unknown = (req.body as Record<string, unknown> | undefined)?._csrf;
    return typeof token === 'string' ? token : undefined;
  },
});

/** The session's token for the hidden field; undefined when the request has no session. */
export function csrfTokenFor(req: Request): string | undefined {
  return req.session ? csrf.generateToken(req) : undefined;
}
