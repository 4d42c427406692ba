// Cookie sessions for the web pages, kept in Redis so that any number of API processes share them.
import { createHmac } from 'node:crypto';
import RedisStore from 'connect-redis';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { Redis } from 'ioredis';
import type { AppConfig } from '#config';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    userName: string;
    /** When the person signed in (ms since epoch): the absolute timeout counts from here. */
    signedInAt: number;
    /**
     * The person's token epoch at sign-in (users.token_epoch): deactivation or signing out everywhere moves it, ending
     * this session for good.
     */
    tokenEpoch: number;
    /** A confirmation shown once, on the page a form post redirects to. */
    flash: Flash;
  }
}

export const SESSION_COOKIE = 'followup.sid';

export interface Flash {
  heading: string;
  lines: string[];
}

/** The session key is derived from the token-signing secret, so every API process agrees without another setting. */
export function sessionSecret(jwtSecret: string): string {
  return createHmac('sha256', jwtSecret).update('followup web session cookie').digest('base64url');
}

/**
 * Its own Redis client: the API's shared one refuses commands while disconnected (enableOfflineQueue:
 * false) so that health checks fail fast, but a page should wait out a short Redis blip.
 */
export function createSessionRedis(config: AppConfig): Redis {
  return new Redis(config.env.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: false });
}

/**
 * express-session for page requests. Requests carrying an `Authorization` header (the API) get no
 * session at all, so nothing on the API side can ever be authenticated by the cookie. A session is stored
 * only once someone signs in (saveUninitialized: false, and nothing writes to an anonymous session), and
 * `withoutAnonymousCookie` makes sure no answer to an anonymous or refused request carries a session cookie.
 */
export function sessionMiddleware(config: AppConfig, redis: Redis, secret: string): RequestHandler {
  const handler = session({
    name: SESSION_COOKIE,
    store: new RedisStore({ client: redis, prefix: `${config.env.QUEUE_PREFIX}:web-session:` }),
    secret,
    resave: false,
    saveUninitialized: false,
    // Idle timeout: every response pushes the expiry (cookie and Redis TTL) forward by this much.
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.sessionIdleMs, path: '/' },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.headers.authorization !== undefined || req.path.startsWith('/assets/')) return next();
    withoutAnonymousCookie(req, res);
    handler(req, res, next);
  };
}

/**
 * Installed before express-session, whose own header hook then runs first: whatever happened during the
 * request, a session cookie goes out only for a signed-in session (or one between the password and the second
 * factor) and never with a refusal (4xx, 5xx);
 * clearing one at sign-out still goes.
 */
function withoutAnonymousCookie(req: Request, res: Response): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped below and called with res as this
  const writeHead = res.writeHead;
  res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
    const cookies = res.getHeader('set-cookie');
    const status = typeof args[0] === 'number' ? args[0] : res.statusCode;
    // A password accepted and a second factor to come (identity: pendingSignIn) is part of signing in too.
    const signingIn = Boolean(req.session?.userId || req.session?.pendingSignIn);
    if (cookies !== undefined && (!signingIn || status >= 400)) {
      const kept = [cookies]
        .flat()
        .map(String)
        .filter((c) => !c.startsWith(`${SESSION_COOKIE}=`) || /Expires=Thu, 01 Jan 1970/.test(c));
      if (kept.length > 0) res.setHeader('set-cookie', kept);
      else res.removeHeader('set-cookie');
    }
    return writeHead.apply(this, args);
  } as Response['writeHead'];
}

/** Whether a signed-in session has outlived the absolute timeout, however active it has been. */
export function sessionExpired(signedInAt: number | undefined, now: number, absoluteMs: number): boolean {
  return signedInAt === undefined || now - signedInAt >= absoluteMs;
}
