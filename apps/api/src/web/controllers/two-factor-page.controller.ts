// `/sign-in/security-code` and `/sign-in/two-factor`: the second step of signing in, and its set-up for roles that
// require it.
import { Body, Controller, Get, Inject, Ip, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import QRCode from 'qrcode';
import { TwoFactorService, UsersService } from '#application';
import { SignedOutPage } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, DomainErrorCode } from '#domain';
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
    if (!(await this.consume(attempt)))
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
    const secret = pending.setupSecret ?? this.twoFactor.newKey(pending.email).secret;
    if (!pending.setupSecret) {
      req.session.pendingSignIn = { ...pending, setupSecret: secret };
      await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
    }
    this.pages.render(res, 'two-factor-setup', setUpModel(await this.qr(pending.email, secret), secret));
  }

  @Post('two-factor')
  async setUp(@Body() body: unknown, @Ip() ip: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const pending = pendingSignIn(req);
    if (!pending?.setupSecret) return this.pages.redirect(res, '/sign-in');
    const secret = pending.setupSecret;
    const code = readCode(body);
    const again = async (messages: (typeof NO_CODE)[], status: number) =>
      this.pages.render(
        res,
        'two-factor-setup',
        setUpModel(await this.qr(pending.email, secret), secret, messages),
        status,
      );
    if (code === '') return again([NO_CODE], 400);
    const attempt = { clientAddress: ip, email: pending.email };
    if (!(await this.consume(attempt))) return again([TOO_MANY], 429);
    let codes: string[];
    try {
      codes = await this.twoFactor.enable(pending.userId, secret, code);
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.InvalidInput)
        return again(
          [{ field: 'code', text: 'Enter the code your authenticator app shows now for the key above' }],
          400,
        );
      throw error;
    }
    await this.limiter.succeeded(attempt);
    await beginSession(
      req,
      this.sessions,
      this.config.sessionAbsoluteMs,
      { id: pending.userId, name: pending.userName, tokenEpoch: await this.users.tokenEpoch(pending.userId) },
      ip,
    );
    this.pages.render(res, 'recovery-codes', recoveryCodesModel(codes, pending.returnTo));
  }

  private async finish(req: Request, res: Response, pending: PendingSignIn, ip: string): Promise<void> {
    await beginSession(
      req,
      this.sessions,
      this.config.sessionAbsoluteMs,
      { id: pending.userId, name: pending.userName, tokenEpoch: await this.users.tokenEpoch(pending.userId) },
      ip,
    );
    this.pages.redirect(res, pending.returnTo);
  }

  /** False once the allowance is spent. */
  private async consume(attempt: { clientAddress: string; email: string }): Promise<boolean> {
    try {
      await this.limiter.consume(attempt);
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.RateLimited) return false;
      throw error;
    }
  }

  private qr(email: string, secret: string): Promise<string> {
    return QRCode.toDataURL(this.twoFactor.uriFor(email, secret), { margin: 1, width: 200 });
  }
}
