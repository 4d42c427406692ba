// The queue dashboard (Bull Board) at /admin/queues, for administrators: signed in like the other admin pages
// (two-factor sign-in included where required), or by HTTP Basic where it is not.
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { TwoFactorService, UsersService } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, DomainErrorCode, Role, type Actor } from '#domain';
import { QUEUES, createQueueDashboard, type QueueMap } from '#scheduling';
import { LoginService } from './shared/login.service.js';
import { signInPath } from './web/view-models/return-to.js';
import { sessionExpired } from './web/web-session.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const READ_METHODS = new Set(['GET', 'HEAD']);

type Refusal = { status: number; error: string; message: string };
const BASIC_REFUSED: Refusal = {
  status: 401,
  error: 'Unauthorized',
  message: 'administrator email and password required',
};

/**
 * Bull Board for administrators, checked on every request, like the other admin pages:
 * - a signed-in administrator's web session (the session cookie; two-factor sign-in completed where the role
 *   requires it, since a session holds a user only once the second factor is given; the person re-read, so a
 *   demoted or deactivated administrator is out at the next request). Its actions (QUEUE_DASHBOARD_ACTIONS)
 *   must come from the service's own pages (same origin), as a form post's CSRF token would prove.
 * - HTTP Basic (email and password, through the login limit), only while neither the administrator role
 *   (MFA_REQUIRED_ROLES) nor the administrator themselves has two-factor sign-in: a password alone is never
 *   more than the sign-in page asks.
 * Read-only unless QUEUE_DASHBOARD_ACTIONS=true.
 */
export async function mountQueueDashboard(app: NestExpressApplication): Promise<void> {
  const logins = app.get(LoginService);
  const users = app.get(UsersService);
  const twoFactor = app.get(TwoFactorService);
  const queues = app.get<QueueMap>(QUEUES);
  const config = app.get<AppConfig>(APP_CONFIG);
  const allowActions = config.env.QUEUE_DASHBOARD_ACTIONS;
  const refuse = (req: Request, res: Response, { status, error, message }: Refusal): void => {
    // A browser without a session goes to the sign-in page and comes back, as for any admin page.
    if (status === 401 && !req.headers.authorization && req.accepts(['json', 'html']) === 'html') {
      res.redirect(303, signInPath(req.originalUrl));
      return;
    }
    if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Follow-up Tracker queues", charset="UTF-8"');
    res.status(status).json({ statusCode: status, error, message });
  };

  const sessionAdmin = async (req: Request): Promise<Actor | null> => {
    const session = req.session;
    if (!session?.userId || sessionExpired(session.signedInAt, Date.now(), config.sessionAbsoluteMs)) return null;
    return users.findActor(session.userId, session.tokenEpoch ?? -1);
  };

  const basicAdmin = async (req: Request): Promise<Refusal | null> => {
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const split = decoded.indexOf(':');
    if (split <= 0) return BASIC_REFUSED;
    try {
      const user = await logins.login(decoded.slice(0, split), decoded.slice(split + 1), req.ip ?? '');
      if (user.role !== Role.Admin) return BASIC_REFUSED;
      if ((await twoFactor.status(user.id, Role.Admin)).enabled || twoFactor.required(Role.Admin)) {
        return {
          status: 401,
          error: 'Unauthorized',
          message: 'two-factor sign-in is on for administrators: sign in at /sign-in, then open /admin/queues',
        };
      }
      return null;
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.RateLimited)
        return { status: 429, error: 'Too Many Requests', message: error.message };
      if (error instanceof DomainError && error.code === DomainErrorCode.Unauthenticated) return BASIC_REFUSED;
      throw error;
    }
  };

  const requireAdmin = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      if (req.headers.authorization === undefined) {
        const actor = await sessionAdmin(req);
        if (!actor)
          return refuse(req, res, {
            status: 401,
            error: 'Unauthorized',
            message: 'sign in as an administrator (/sign-in) to open the queue dashboard',
          });
        if (actor.role !== Role.Admin)
          return refuse(req, res, {
            status: 403,
            error: 'Forbidden',
            message: 'only administrators may open the queue dashboard',
          });
        if (!READ_METHODS.has(req.method) && !sameOrigin(req))
          return refuse(req, res, {
            status: 403,
            error: 'Forbidden',
            message: 'queue actions must come from the dashboard itself',
          });
      } else {
        const refusal = await basicAdmin(req);
        if (refusal) return refuse(req, res, refusal);
      }
    } catch (error) {
      return next(error);
    }
    if (!allowActions && !READ_METHODS.has(req.method)) {
      return refuse(req, res, {
        status: 403,
        error: 'Forbidden',
        message:
          'the queue dashboard is read-only: an administrator may set QUEUE_DASHBOARD_ACTIONS=true to allow actions',
      });
    }
    next();
  };
  app.use(
    QUEUE_DASHBOARD_PATH,
    requireAdmin,
    createQueueDashboard(Object.values(queues), QUEUE_DASHBOARD_PATH, allowActions),
  );
}

/** A request the browser says came from this service's own pages (Sec-Fetch-Site, or an Origin naming this host). */
function sameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
