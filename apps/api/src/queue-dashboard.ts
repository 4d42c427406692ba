import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { UsersService } from '#application';
import { Role } from '#domain';
import { QUEUES, createQueueDashboard, type QueueMap } from '#scheduling';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const CACHE_MS = 5 * 60_000;

/**
 * Bull Board for administrators. A browser cannot send a bearer token to a dashboard page, so it asks for
 * an administrator's email and password (HTTP Basic); a success is remembered briefly, as argon2 is slow on purpose.
 */
export async function mountQueueDashboard(app: NestExpressApplication): Promise<void> {
  const users = app.get(UsersService);
  const queues = app.get<QueueMap>(QUEUES);
  const granted = new Map<string, number>();
  const requireAdmin = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const credentials = header.slice(6);
      if ((granted.get(credentials) ?? 0) > Date.now()) return next();
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const split = decoded.indexOf(':');
      try {
        const user = await users.authenticate(decoded.slice(0, split), decoded.slice(split + 1));
        if (user.role === Role.Admin) {
          granted.set(credentials, Date.now() + CACHE_MS);
          return next();
        }
      } catch {
        // answered below
      }
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="Follow-up Tracker queues", charset="UTF-8"');
    res.status(401).json({ statusCode: 401, error: 'Unauthorized', message: 'administrator email and password required' });
  };
  app.use(QUEUE_DASHBOARD_PATH, requireAdmin, createQueueDashboard(Object.values(queues), QUEUE_DASHBOARD_PATH));
}
