// `/sign-in/security-code` and `/sign-in/two-factor`: the second step of signing in, and its set-up for roles that
// require it.
import { Body, Controller, Get, Inject, Ip, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { TwoFactorService, UsersService } from '#application';
import { SignedOutPage } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import { LOGIN_LIMITER, type LoginLimiter } from '../../shared/login-limiter.js';
import { PageRenderer } from '../page-renderer.js';
import { beginSession, pendingSignIn, type PendingSignIn } from '../sign-in-session.js';
import { WebSessions } from '../web-sessions.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import {
  NO_CODE,
  readCode,
  recoveryCodesModel,
  securityCodeModel,
  setUpModel,
  TOO_MANY,
  WRONG_CODE,
} from '../view-models/two-factor.js';
import { confirmSetUp, consumeSignInAttempt, setUpKey, setUpQrCode } from '../two-factor-set-up.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@SignedOutPage()
@Controller('sign-in')
export class TwoFactorPageController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly pages: PageRenderer,
    private readonly sessions: WebSessions,
    @Inject(LOGIN_LIMITER) private readonly limiter: LoginLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  @Get('security-code')
  codeForm(@Req() req: Request, @Res() res: Response): void {
    if (!pendingSignIn(req)) return this.pages.redirect(res, '/sign-in');
    this.pages.render(res, 'security-code', securityCodeModel());
  }

  @Post('security-code')
  async checkCode(@Body() body: unknown, @Ip() ip: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = pendingSignIn(req);
    if (!pending) return this.pages.redirect(res, '/sign-in');
    const code = readCode(body);
    if (code === '') return this.pages.render(res, 'security-code', securityCodeModel([NO_CODE]), 400);
    // Codes count against the same limit as passwords.
    const attempt = { clientAddress: ip, email: pending.email };
    if (!(await consumeSignInAttempt(this.limiter, attempt)))
      return this.pages.render(res, 'security-code', securityCodeModel([TOO_MANY]), 429);
    if (!(await this.twoFactor.verify(pending.userId, code)))
      return this.pages.render(res, 'security-code', securityCodeModel([WRONG_CODE]), 400);
    await this.limiter.succeeded(attempt);
    await this.finish(req, res, pending, ip);
  }

  @Get('two-factor')
  async setUpForm(@Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = pendingSignIn(req);
    if (!pending) return this.pages.redirect(res, '/sign-in');
    const secret = await setUpKey(this.twoFactor, req, pending.email, pending.setupSecret, (key) => {
      req.session.pendingSignIn = { ...pending, setupSecret: key };
    });
    this.pages.render(
      res,
      'two-factor-setup',
      setUpModel(await setUpQrCode(this.twoFactor, pending.email, secret), secret),
    );
  }

  @Post('two-factor')
  async setUp(@Body() body: unknown, @Ip() ip: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = pendingSignIn(req);
    if (!pending?.setupSecret) return this.pages.redirect(res, '/sign-in');
    const secret = pending.setupSecret;
    const outcome = await confirmSetUp(this.twoFactor, this.limiter, pending.userId, secret, body, {
      clientAddress: ip,
      email: pending.email,
    });
    if ('problem' in outcome) {
      const qr = await setUpQrCode(this.twoFactor, pending.email, secret);
      return this.pages.render(res, 'two-factor-setup', setUpModel(qr, secret, [outcome.problem]), outcome.status);
    }
    await this.signIn(req, pending, ip);
    this.pages.render(res, 'recovery-codes', recoveryCodesModel(outcome.codes, pending.returnTo));
  }

  private async finish(req: Request, res: Response, pending: PendingSignIn, ip: string): Promise<void> {
    await this.signIn(req, pending, ip);
    this.pages.redirect(res, pending.returnTo);
  }

  /** The second factor is done: the pending person is signed in. */
  private async signIn(req: Request, pending: PendingSignIn, ip: string): Promise<void> {
    await beginSession(
      req,
      this.sessions,
      this.config.sessionAbsoluteMs,
      { id: pending.userId, name: pending.userName, tokenEpoch: await this.users.tokenEpoch(pending.userId) },
      ip,
    );
  }
}
