// Wires the web layer into the Express app: headers for every response, negotiation, assets, sessions, the import's upload.
import { VersioningType } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import multer from 'multer';
import { versionOf } from './negotiation.js';
import { securityHeaders } from './security-headers.js';
import { mountWebAssets } from './web-assets.js';
import { WebSessions } from './web-sessions.js';

/** The largest CSV file the import page takes (a 2,000-row report is about 1 MB). */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Call before the app starts listening; order matters: headers first, then assets, then sessions. */
export function setUpWeb(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use(securityHeaders());
  // Routes declared for PAGE_VERSION answer browsers only; every other route is version-neutral.
  app.enableVersioning({ type: VersioningType.CUSTOM, extractor: (req) => versionOf(req as never) });
  mountWebAssets(app);
  app.use(app.get(WebSessions).middleware);
  // `/import`'s multipart form is parsed as middleware, before the guards, so that the page guard finds the
  // CSRF field in the body. The file stays in memory: it is checked and imported whole.
  app.use('/import', multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: 2 * MAX_UPLOAD_BYTES, files: 1, fields: 20 } }).single('csvFile'));
}
