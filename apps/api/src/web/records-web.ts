// The oversight and records pages (issue 9): their controllers, and the upload parser the import form needs before the guards.
import type { NestExpressApplication } from '@nestjs/platform-express';
import multer from 'multer';
import { CalendarLinkPageController } from './controllers/calendar-link-page.controller.js';
import { DashboardPageController } from './controllers/dashboard-page.controller.js';
import { ImportPageController } from './controllers/import-page.controller.js';
import { ReadinessPageController } from './controllers/readiness-page.controller.js';
import { RegisterPageController } from './controllers/register-page.controller.js';

export const RECORDS_WEB_CONTROLLERS = [DashboardPageController, ImportPageController, ReadinessPageController, RegisterPageController, CalendarLinkPageController];

/** The largest CSV file the import page takes (a 2,000-row report is about 1 MB). */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Parses `/import`'s multipart form as middleware, before the guards, so that the page guard finds the
 * CSRF field in the body. The file stays in memory: it is checked and imported whole.
 */
export function setUpRecordsWeb(app: NestExpressApplication): void {
  app.use('/import', multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: 2 * MAX_UPLOAD_BYTES, files: 1, fields: 20 } }).single('csvFile'));
}
