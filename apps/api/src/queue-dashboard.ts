// The queue dashboard (Bull Board) at /admin/queues, for administrators by HTTP Basic.
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, DomainErrorCode, Role } from '#domain';
import { QUEUES, createQueueDashboard, type QueueMap } from '#scheduling';
import { LoginService } from './http/login.service.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Bull Board for administrators. A browser cannot send a bearer token to a dashboard page, so it asks for
 * an administrator's email and password (HTTP Basic) on every request, through the login limit like any
 * sign-in: nothing is remembered, so a demoted or deactivated administrator is out at the next request.
 * Read-only unless QUEUE_DASHBOARD_ACTIONS=true.
 */
export async function mountQueueDashboard(app: NestExpressApplication): Promise<void> {
  const logins = app.get(LoginService);
  const queues = app.get<QueueMap>(QUEUES);
  const allowActions = app.get<AppConfig>(APP_CONFIG).env.QUEUE_DASHBOARD_ACTIONS;
  const refuse = (res: Response, statusCode: number, error: string, message: string): void => {
    if (statusCode === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Follow-up Tracker queues", charset="UTF-8"');
    res.status(statusCode).json({ statusCode, error, message });
  };
  const requireAdmin = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const split = decoded.indexOf(':');
    if (split <= 0) return refuse(res, 401, 'Unauthorized', 'administrator email and password required');
    try {
      const user = await logins.login(decoded.slice(0, split), decoded.slice(split + 1), req.ip ?? '');
      if (user.role !== Role.Admin) return refuse(res, 401, 'Unauthorized', 'administrator email and password required');
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.RateLimited) return refuse(res, 429, 'Too Many Requests', error.message);
      if (error instanceof DomainError && error.code === DomainErrorCode.Unauthenticated) return refuse(res, 401, 'Unauthorized', 'administrator email and password required');
      return next(error);
    }
    if (!allowActions && !READ_METHODS.has(req.method)) {
      return refuse(res, 403, 'Forbidden', 'the queue dashboard is read-only: an administrator may set QUEUE_DASHBOARD_ACTIONS=true to allow actions');
    }
    next();
  };
  app.use(QUEUE_DASHBOARD_PATH, requireAdmin, createQueueDashboard(Object.values(queues), QUEUE_DASHBOARD_PATH, allowActions));
}
