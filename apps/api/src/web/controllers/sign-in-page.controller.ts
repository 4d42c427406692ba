// `/sign-in` and `/sign-out`: a session begins with LoginService (the same limit as POST /auth/login) and ends by POST.
import { Body, Controller, Get, Inject, Ip, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UsersService } from '#application';
import { SignedOutPage } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, DomainErrorCode, type Actor, type Role } from '#domain';
import { LoginService } from '../../shared/login.service.js';
import { PageRenderer } from '../page-renderer.js';
import { TwoFactorService } from '#application';
import { RelyingParty } from '../oidc/relying-party.js';
import { beginSession, holdForSecondFactor } from '../sign-in-session.js';
import { SESSION_COOKIE } from '../web-session.js';
import { WebSessions } from '../web-sessions.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { safeReturnTo } from '../view-models/return-to.js';
import { missingSignInFields, readSignInForm, signInModel, signInRefusal } from '../view-models/sign-in.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class SignInPageController {
  constructor(
    private readonly logins: LoginService,
    private readonly users: UsersService,
    private readonly pages: PageRenderer,
    private readonly sessions: WebSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly twoFactor: TwoFactorService,
    private readonly relyingParty: RelyingParty,
  ) {}

  /** The sign-in page, with `Sign in with your organisation account` when single sign-on is configured. */
  private page(res: Response, model: object, status = 200): void {
    this.pages.render(res, 'sign-in', { ...model, singleSignOn: this.relyingParty.enabled }, status);
  }

  @SignedOutPage()
  @Get('sign-in')
  show(@Query('returnTo') returnTo: unknown, @Req() req: Request & { actor?: Actor }, @Res() res: Response): void {
    // Already signed in (PageAccessGuard found the session): straight on to the page asked for.
    if (req.actor) return this.pages.redirect(res, safeReturnTo(returnTo));
    // Straight after signing out (POST /sign-out sends here with ?signedOut=1): said once, without a session.
    const signedOut = req.query.signedOut === '1' ? { flash: { heading: 'You have signed out', lines: [] } } : {};
    this.page(res, { ...signInModel(safeReturnTo(returnTo)), ...signedOut });
  }

  @SignedOutPage()
  @Post('sign-in')
  async signIn(
    @Query('returnTo') returnTo: unknown,
    @Body() body: unknown,
    @Ip() ip: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const target = safeReturnTo(returnTo);
    const form = readSignInForm(body);
    const missing = missingSignInFields(form);
    if (missing.length > 0) return this.page(res, signInModel(target, form.email, missing), 400);
    let user;
    try {
      user = await this.logins.login(form.email, form.password, ip);
    } catch (error) {
      const refusal = signInRefusal(error);
      if (!refusal) throw error;
      // A right password for someone whose organisation signs in only with single sign-on: 403, saying so.
      return this.page(
        res,
        signInModel(target, form.email, refusal),
        error instanceof DomainError && error.code === DomainErrorCode.Forbidden ? 403 : 401,
      );
    }
    // Two-factor sign-in: the code next (docs/identity.md), or its set-up for a role that requires it.
    const twoFactor = await this.twoFactor.status(user.id, user.role as Role);
    if (twoFactor.enabled || twoFactor.required) {
      await holdForSecondFactor(req, {
        userId: user.id,
        userName: user.name,
        email: user.email,
        role: user.role as Role,
        returnTo: target,
      });
      return this.pages.redirect(res, twoFactor.enabled ? '/sign-in/security-code' : '/sign-in/two-factor');
    }
    // A new session id at sign-in, so that an id planted before it (session fixation) is worth nothing; listed on
    // "Your account", and ended with the others there or when the password is reset.
    // The epoch ties the session to this sign-in: deactivation moves it, so reactivation revives nothing.
    await beginSession(
      req,
      this.sessions,
      this.config.sessionAbsoluteMs,
      { ...user, tokenEpoch: await this.users.tokenEpoch(user.id) },
      ip,
    );
    this.pages.redirect(res, target);
  }

  @SignedOutPage()
  @Post('sign-out')
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Only a signed-in session is ended and its cookie cleared; an anonymous post changes no cookie. No session
    // is made to carry "You have signed out" (that would store one for someone signed out): the address does.
    const signedOut = '/sign-in?signedOut=1';
    let next = signedOut;
    if (req.session?.userId) {
      // Signed in through the identity provider: on to its end-session endpoint (RP-initiated logout), which comes back
      // here.
      const idToken = req.session.oidcIdToken;
      if (idToken)
        next =
          (await this.relyingParty.endSessionUrl(idToken, new URL(signedOut, this.config.env.APP_BASE_URL).href)) ??
          signedOut;
      await this.sessions.registry.remove(req.session.userId, req.sessionID);
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    this.pages.redirect(res, next);
  }
}
