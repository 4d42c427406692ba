// Synchroniser-token CSRF protection for signed-in forms: the token lives in the session and in a hidden `_csrf` field
// (or, for multipart forms, the action's query string).
import { csrfSync } from 'csrf-sync';
import type { Request } from 'express';

/**
 * Where a form's token is looked for: the posted field `_csrf`; else the query string's `_csrf` or the
 * `X-CSRF-Token` header, which is how a multipart form sends it so that it is checked before the body is read.
 */
export function csrfTokenOf(req: Request): string | undefined {
  const fromBody: unknown = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof fromBody === 'string') return fromBody;
  const fromQuery: unknown = req.query?._csrf;
  if (typeof fromQuery === 'string') return fromQuery;
  const fromHeader = req.headers['x-csrf-token'];
  return typeof fromHeader === 'string' ? fromHeader : undefined;
}

export const csrf = csrfSync({ getTokenFromRequest: csrfTokenOf });

/** The session's token for the hidden field; only for a signed-in session (an anonymous one is never stored). */
export function sessionCsrfToken(req: Request): string | undefined {
  return req.session?.userId ? csrf.generateToken(req) : undefined;
}
