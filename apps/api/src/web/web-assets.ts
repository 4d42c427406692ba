// Serves GOV.UK Frontend's and MoJ Frontend's precompiled CSS, JS, fonts and images from the app itself (no CDN).
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { GOVUK_FRONTEND_DIST, MOJ_FRONTEND_ROOT, WEB_ASSETS } from './frontend-paths.js';

const OPTIONS = { index: false, maxAge: '1h', fallthrough: true, dotfiles: 'ignore' } as const;

export function mountWebAssets(app: NestExpressApplication): void {
  // Both stylesheets ask for their fonts and images under /assets/fonts and /assets/images.
  app.useStaticAssets(path.join(GOVUK_FRONTEND_DIST, 'govuk', 'assets'), { ...OPTIONS, prefix: '/assets' });
  app.useStaticAssets(path.join(MOJ_FRONTEND_ROOT, 'moj', 'assets'), { ...OPTIONS, prefix: '/assets' });
  app.useStaticAssets(path.join(GOVUK_FRONTEND_DIST, 'govuk'), { ...OPTIONS, prefix: '/assets/govuk' });
  app.useStaticAssets(path.join(MOJ_FRONTEND_ROOT, 'moj'), { ...OPTIONS, prefix: '/assets/moj' });
  app.useStaticAssets(WEB_ASSETS, { ...OPTIONS, prefix: '/assets/app' });
}
