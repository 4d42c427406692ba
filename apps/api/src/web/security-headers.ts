// Security headers for every response, pages and API alike: helmet with a nonce-based CSP, HSTS over HTTPS only.
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Paths whose third-party pages (the queue dashboard) need inline styles and scripts we do not control. `/docs` is not
 * one: its page has nothing inline.
 */
const THIRD_PARTY_UI = [/^\/admin\/queues(\/|$)/];

/**
 * `formOrigins`: other origins a form post may end at (the identity provider, where signing out goes on to end its
 * session too).
 */
const strictHeaders = (formOrigins: readonly string[]) =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // The one inline script (govuk-frontend's js-enabled switch) carries this request's nonce.
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'", ...formOrigins],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });

const relaxed = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  strictTransportSecurity: false,
  xFrameOptions: { action: 'deny' },
});

/** One handler for the whole app: a fresh nonce per request, helmet, and HSTS when the request came over HTTPS. */
export function securityHeaders(formOrigins: readonly string[] = []): RequestHandler {
  const strict = strictHeaders(formOrigins);
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    // HSTS over plain HTTP is ignored by browsers and would pin a developer's localhost to HTTPS.
    if (req.secure) res.setHeader('Strict-Transport-Security', HSTS);
    const headers = THIRD_PARTY_UI.some((pattern) => pattern.test(req.path)) ? relaxed : strict;
    headers(req, res, next);
  };
}
