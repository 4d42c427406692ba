// Wires the web layer into the Express app: headers for every response, negotiation, assets, sessions.
import { VersioningType } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { versionOf } from './negotiation.js';
import { APP_CONFIG, type AppConfig } from '#config';
import { securityHeaders } from './security-headers.js';
import { mountWebAssets } from './web-assets.js';
import { WebSessions } from './web-sessions.js';

/** Call before the app starts listening; order matters: headers first, then assets, then sessions. */
export function setUpWeb(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  // Signing out of a single sign-on session goes on to the identity provider (RP-initiated logout): its origin may end a form post.
  const oidc = app.get<AppConfig>(APP_CONFIG).oidc;
  app.use(securityHeaders(oidc ? [oidc.issuer.origin] : []));
  // Routes declared for PAGE_VERSION answer browsers only; every other route is version-neutral.
  app.enableVersioning({ type: VersioningType.CUSTOM, extractor: (req) => versionOf(req as never) });
  mountWebAssets(app);
  app.use(app.get(WebSessions).middleware);
  // Multipart forms (`/import`) are read by their route's @MultipartBody after the guards, never here.
}
