// Renders a page template with the locals every page shares (nonce, CSRF token, the signed-in person).
import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import type { Request, Response } from 'express';
import nunjucks from 'nunjucks';
import { sessionCsrfToken } from './csrf.js';
import { GOVUK_FRONTEND_DIST, MOJ_FRONTEND_ROOT, WEB_VIEWS } from './frontend-paths.js';
import { SERVICE_NAME } from './page-title.js';
import { navigationFor } from './view-models/navigation.js';
import type { Flash } from './web-session.js';
import { WebSessions } from './web-sessions.js';
import { besideForce, namesForce } from './view-models/force-names.js';

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
  // Headings and captions that name the force do not name it twice (force-names.ts).
  env.addFilter('besideForce', (title: string, force: string) => besideForce(title, force));
  env.addFilter('namesForce', (title: string, force: string) => namesForce(title, force));
  return env;
}

@Injectable()
export class PageRenderer {
  private readonly env = createViewEnvironment();

  constructor(
    private readonly sessions: WebSessions,
    @Optional() @Inject(APP_CONFIG) config?: AppConfig,
  ) {
    // The phase banner's feedback link (FEEDBACK_EMAIL).
    this.env.addGlobal('feedbackEmail', config?.env.FEEDBACK_EMAIL ?? 'followup-feedback@hmicfrs.gov.uk');
  }

  /**
   * Renders `pages/<view>.njk`; `model` is a view model built in code, the template only lays it out.
   * `csrfToken` is the session's for a signed-in person; for anyone else it is an anonymous form token,
   * whose cookie is sent only when the page really holds a form using it (the register, for one, sets none).
   */
  render(res: Response, view: string, model: object, status = 200): void {
    const req = res.req as Request;
    // The session's one-time confirmation, or one the page passes itself (for someone not signed in).
    const flash = req.session?.flash ?? (model as { flash?: Flash }).flash;
    if (req.session?.flash) delete req.session.flash;
    const user = res.locals.user as PageUser | undefined;
    const anonymous = req.session?.userId ? undefined : this.sessions.anonymousForms.issue(req);
    const csrfToken = anonymous ? anonymous.token : sessionCsrfToken(req);
    const html = this.env.render(`pages/${view}.njk`, {
      navigation: user ? navigationFor(user.role, req.path) : [],
      ...model,
      cspNonce: res.locals.cspNonce as string,
      csrfToken,
      user,
      flash,
      currentPath: req.path,
    });
    if (anonymous?.setCookie && csrfToken && html.includes(csrfToken)) anonymous.setCookie(res);
    res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(html);
  }

  /** After a successful form post: 303 so that a refresh does not post again; `flash` shows once on the next page. */
  redirect(res: Response, location: string, flash?: Flash): void {
    const req = res.req as Request;
    // Only a signed-in session carries a flash: writing to an anonymous one would store it in Redis.
    if (flash && req.session?.userId) req.session.flash = flash;
    res.redirect(303, location);
  }
}
