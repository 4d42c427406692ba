// The API's /metrics, its HTTP request counters and each request's trace span: mounted on Express ahead of every route,
// so pages, API calls and 404s are all counted.
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#config';
import { SpanKind, httpDuration, httpRequests, metricsAuthorised, renderMetrics, startSpanFrom } from '#observability';

/** The route template Express matched (`/recommendations/:id`), never the raw path: labels must stay few. */
function routeOf(req: Request): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}` || '/';
  return req.path.startsWith('/assets/') || req.path.startsWith('/govuk/') ? 'static' : 'unmatched';
}

/**
 * Counts every request by method, route template and status, and serves GET /metrics (bearer METRICS_TOKEN when set).
 */
export function mountHttpMetrics(app: NestExpressApplication): void {
  const token = app.get<AppConfig>(APP_CONFIG).env.METRICS_TOKEN;
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    // The request's span (a child of the caller's traceparent, when sent): what the request awaits nests under it.
    startSpanFrom(req.headers, `${req.method}`, SpanKind.SERVER, (span) => {
      res.on('finish', () => {
        const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
        httpRequests.inc(labels);
        httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        span.updateName(`${req.method} ${labels.route}`);
        span.setAttributes({
          'http.request.method': req.method,
          'http.route': labels.route,
          'http.response.status_code': res.statusCode,
        });
        span.end();
      });
      next();
    });
  });
  app.use('/metrics', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || req.path !== '/') return next();
    if (!metricsAuthorised(req.headers.authorization, token)) {
      res.status(401).set('www-authenticate', 'Bearer').end();
      return;
    }
    renderMetrics().then(({ contentType, body }) => res.status(200).type(contentType).send(body), next);
  });
}
