// Renders a page template with the locals every page shares (nonce, CSRF token, the signed-in person).
import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import type { Request, Response } from 'express';
import nunjucks from 'nunjucks';
import { csrfTokenFor } from './csrf.js';
import { GOVUK_FRONTEND_DIST, MOJ_FRONTEND_ROOT, WEB_VIEWS } from './frontend-paths.js';
import { SERVICE_NAME } from './page-title.js';
import { navigationFor } from './view-models/navigation.js';
import type { Flash } from './web-session.js';


/** The signed-in person as the header shows them; set by PageAccessGuard. */
export interface PageUser {
  name: string;
  role: string;
}

/** The inspectorate the service belongs to, named in its header. */
export const INSPECTORATE_NAME = 'HM Inspectorate of Constabulary and Fire & Rescue Services';

export function createViewEnvironment(): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([WEB_VIEWS, GOVUK_FRONTEND_DIST, MOJ_FRONTEND_ROOT], { noCache: false });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  env.addGlobal('serviceName', SERVICE_NAME);
  env.addGlobal('inspectorateName', INSPECTORATE_NAME);
  return env;
}

@Injectable()
export class PageRenderer {
  private readonly env = createViewEnvironment();

  constructor(@Optional() @Inject(APP_CONFIG) config?: AppConfig) {
    // The phase banner's feedback link (FEEDBACK_EMAIL).
    this.env.addGlobal('feedbackEmail', config?.env.FEEDBACK_EMAIL ?? 'followup-feedback@hmicfrs.gov.uk');
  }

  /** Renders `pages/<view>.njk`; `model` is a view model built in code, the template only lays it out. */
  render(res: Response, view: string, model: object, status = 200): void {
    const req = res.req as Request;
    const flash = req.session?.flash;
    if (flash) delete req.session.flash;
    const user = res.locals.user as PageUser | undefined;
    const html = this.env.render(`pages/${view}.njk`, {
      navigation: user ? navigationFor(user.role, req.path) : [],
      ...model,
      cspNonce: res.locals.cspNonce,
      csrfToken: csrfTokenFor(req),
      user,
      flash,
      currentPath: req.path,
    });
    res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(html);
  }

  /** After a successful form post: 303 so that a refresh does not post again; `flash` shows once on the next page. */
  redirect(res: Response, location: string, flash?: Flash): void {
    const req = res.req as Request;
    if (flash && req.session) req.session.flash = flash;
    res.redirect(303, location);
  }
}
