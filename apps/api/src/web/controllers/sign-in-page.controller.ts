// `/sign-in` and `/sign-out`: a session begins with LoginService (the same limit as POST /auth/login) and ends by POST.
import { Body, Controller, Get, Ip, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { UsersService } from '#application';
import { SignedOutPage } from '#auth';
import type { Actor } from '#domain';
import { LoginService } from '../../http/login.service.js';
import { PageRenderer } from '../page-renderer.js';
import { SESSION_COOKIE } from '../web-session.js';
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
  ) {}

  @SignedOutPage()
  @Get('sign-in')
  show(@Query('returnTo') returnTo: unknown, @Req() req: Request & { actor?: Actor }, @Res() res: Response): void {
    // Already signed in (PageAccessGuard found the session): straight on to the page asked for.
    if (req.actor) return this.pages.redirect(res, safeReturnTo(returnTo));
    // Straight after signing out (POST /sign-out sends here with ?signedOut=1): said once, without a session.
    const signedOut = req.query.signedOut === '1' ? { flash: { heading: 'You have signed out', lines: [] } } : {};
    this.pages.render(res, 'sign-in', { ...signInModel(safeReturnTo(returnTo)), ...signedOut });
  }

  @SignedOutPage()
  @Post('sign-in')
  async signIn(@Query('returnTo') returnTo: unknown, @Body() body: unknown, @Ip() ip: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const target = safeReturnTo(returnTo);
    const form = readSignInForm(body);
    const missing = missingSignInFields(form);
    if (missing.length > 0) return this.pages.render(res, 'sign-in', signInModel(target, form.email, missing), 400);
    let user;
    try {
      user = await this.logins.login(form.email, form.password, ip);
    } catch (error) {
      const refusal = signInRefusal(error);
      if (!refusal) throw error;
      return this.pages.render(res, 'sign-in', signInModel(target, form.email, refusal), 401);
    }
    // A new session id at sign-in, so that an id planted before it (session fixation) is worth nothing.
    await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
    // The epoch ties the session to this sign-in: deactivation moves it, so reactivation revives nothing.
    Object.assign(req.session, { userId: user.id, userName: user.name, signedInAt: Date.now(), tokenEpoch: await this.users.tokenEpoch(user.id) });
    await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
    this.pages.redirect(res, target);
  }

  @SignedOutPage()
  @Post('sign-out')
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Only a signed-in session is ended and its cookie cleared; an anonymous post changes no cookie. No session
    // is made to carry "You have signed out" (that would store one for someone signed out): the address does.
    if (req.session?.userId) {
      await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    this.pages.redirect(res, '/sign-in?signedOut=1');
  }
}
