// Wires the web layer into the Express app: headers for every response, negotiation, assets, sessions, the import's upload.
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BadRequestException, PayloadTooLargeException, VersioningType } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { versionOf } from './negotiation.js';
import { securityHeaders } from './security-headers.js';
import { mountWebAssets } from './web-assets.js';
import { WebSessions } from './web-sessions.js';

/** The largest CSV file the import page takes (a 2,000-row report is about 1 MB). */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The answer to a multipart body that could not be read. */
function uploadRefusal(error: unknown): Error {
  if (error instanceof multer.MulterError) return error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE' ? new PayloadTooLargeException(error.message) : new BadRequestException(error.message);
  return new BadRequestException(`the form could not be read: ${(error as Error)?.message ?? 'malformed multipart body'}`);
}

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
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: 2 * MAX_UPLOAD_BYTES, files: 1, fields: 20 } }).single('csvFile');
  // A malformed multipart body (a NUL in a part header, a cut-off body) is the sender's fault: 400, or 413 over a limit; never a 500.
  app.use('/import', (req: Request, res: Response, next: NextFunction) => upload(req, res, (error?: unknown) => next(error === undefined ? undefined : uploadRefusal(error))));
}
