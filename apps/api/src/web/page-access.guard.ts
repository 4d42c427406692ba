// Authenticates web pages by the session cookie (a bearer token only for CSV downloads) and checks CSRF on every form
// post.
import { Inject, Injectable, type CanActivate, type ExecutionContext, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { UsersService } from '#application';
import { ACCESS_METADATA, type AccessRule } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import type { Actor } from '#domain';
import { BearerAuth, bearerTokenOf } from '../shared/bearer-actor.js';
import { csrf, csrfTokenOf } from './csrf.js';
import { CSV_DOWNLOAD_METADATA } from '../shared/csv.js';
import { FormExpired, SignInRequired } from './page-errors.js';
import type { PageUser } from './page-renderer.js';
import { sessionExpired } from './web-session.js';
import { WebSessions } from './web-sessions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Global, beside AccessGuard: it acts only on routes declared @Page or @SignedOutPage (AccessGuard lets
 * those through). The session holds the user id and their token epoch at sign-in; the actor is re-read on
 * every request, so a deactivated user's sessions end at once, and for good (deactivation moves the epoch).
 * CSRF: a signed-in session's synchroniser token; for anyone else (only @SignedOutPage routes take their
 * posts) the anonymous form token. Either may come in the body, the query string (`?_csrf=`) or
 * `X-CSRF-Token`; this guard runs before any multipart or CSV body is read.
 */
@Injectable()
export class PageAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
    private readonly bearer: BearerAuth,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: WebSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (rule?.kind !== 'page') return true;
    const req = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const res = context.switchToHttp().getResponse<Response>();

    if (!SAFE_METHODS.has(req.method) && !this.formIsGenuine(req, rule.signIn === 'none')) throw new FormExpired();
    const token = bearerTokenOf(req.headers.authorization);
    const byToken =
      token !== null &&
      SAFE_METHODS.has(req.method) &&
      this.reflector.get<boolean>(CSV_DOWNLOAD_METADATA, context.getHandler()) === true;
    // A CSV download may be fetched with the person's token (a spreadsheet's "from web" import): a personal API
    // token (either scope: a download only reads) or a JWT; 401 for a bad one.
    const actor = byToken ? (await this.bearer.caller(token)).actor : await this.signedInActor(req);
    if (actor) {
      req.actor = actor;
      res.locals.user = { name: req.session?.userName ?? '', role: actor.role } satisfies PageUser;
    }
    if (rule.signIn === 'none') return true;
    if (!actor) throw new SignInRequired();
    if (rule.roles.length > 0 && !rule.roles.includes(actor.role))
      throw new ForbiddenException(`role ${actor.role} may not open this page`);
    return true;
  }

  private formIsGenuine(req: Request, signedOutPage: boolean): boolean {
    if (req.session?.userId && csrf.isRequestValid(req)) return true;
    return signedOutPage && this.sessions.anonymousForms.verify(req, csrfTokenOf(req));
  }

  private async signedInActor(req: Request): Promise<Actor | null> {
    const userId = req.session?.userId;
    if (!userId) return null;
    const { signedInAt, tokenEpoch } = req.session;
    // A session from before epochs were kept (no tokenEpoch) counts as stale: its holder signs in again.
    const current = sessionExpired(signedInAt, Date.now(), this.config.sessionAbsoluteMs)
      ? null
      : await this.users.findActor(userId, tokenEpoch ?? -1);
    // The ended session is deleted from Redis; an empty, unsaved one takes its place (no cookie is sent for it).
    if (!current)
      await new Promise<void>((resolve, reject) =>
        req.session.regenerate((error) => (error ? reject(error) : resolve())),
      );
    return current;
  }
}
