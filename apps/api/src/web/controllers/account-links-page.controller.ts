// `/invitations/<token>`, `/reset-password/<token>` and `/forgotten-password`: choosing a password with a one-time
// link, and asking for one.
import { Body, Controller, Get, Inject, Ip, Logger, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountLinksService, identitySettings } from '#application';
import { SignedOutPage } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError, DomainErrorCode } from '#domain';
import { requestResetInBackground } from '../../shared/password-reset.js';
import { RESET_LIMITER, type ResetLimiter } from '../../shared/reset-limiter.js';
import { PageRenderer } from '../page-renderer.js';
import { WebSessions } from '../web-sessions.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import {
  checkEmailModel,
  forgottenPasswordModel,
  forgottenPasswordProblems,
  linkProblemModel,
  newPasswordProblems,
  passwordSavedModel,
  readForgottenPasswordForm,
  readNewPasswordForm,
  setPasswordModel,
  type LinkPurpose,
} from '../view-models/account-links.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@SignedOutPage()
@Controller()
export class AccountLinksPageController {
  private readonly logger = new Logger('PasswordReset');
  private readonly resetTtlMs: number;

  constructor(
    private readonly links: AccountLinksService,
    private readonly pages: PageRenderer,
    private readonly sessions: WebSessions,
    @Inject(RESET_LIMITER) private readonly limiter: ResetLimiter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.resetTtlMs = identitySettings(config).resetTtlMs;
  }

  @Get('invitations/:token')
  showInvitation(@Param('token') token: string, @Res() res: Response): Promise<void> {
    return this.show('invitation', token, res);
  }

  @Post('invitations/:token')
  acceptInvitation(@Param('token') token: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    return this.save('invitation', token, body, res);
  }

  @Get('reset-password/:token')
  showReset(@Param('token') token: string, @Res() res: Response): Promise<void> {
    return this.show('password_reset', token, res);
  }

  @Post('reset-password/:token')
  reset(@Param('token') token: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    return this.save('password_reset', token, body, res);
  }

  @Get('forgotten-password')
  forgottenForm(@Res() res: Response): void {
    this.pages.render(res, 'forgotten-password', forgottenPasswordModel());
  }

  @Post('forgotten-password')
  async forgotten(@Body() body: unknown, @Ip() ip: string, @Res() res: Response): Promise<void> {
    const form = readForgottenPasswordForm(body);
    const problems = forgottenPasswordProblems(form);
    if (problems.length > 0)
      return this.pages.render(res, 'forgotten-password', forgottenPasswordModel(form.email, problems), 400);
    try {
      await this.limiter.consume(ip, form.email);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === DomainErrorCode.RateLimited)) throw error;
      const text = 'There have been too many requests for a link. Wait an hour, then try again';
      return this.pages.render(
        res,
        'forgotten-password',
        forgottenPasswordModel(form.email, [{ field: 'email', text }]),
        429,
      );
    }
    requestResetInBackground(this.links, form.email, this.logger);
    this.pages.render(res, 'error', checkEmailModel(form.email, this.resetTtlMs));
  }

  private async show(purpose: LinkPurpose, token: string, res: Response): Promise<void> {
    const link = await this.links.inspect(purpose, token);
    if (link.state !== 'valid') return this.pages.render(res, 'error', linkProblemModel(purpose, link.state), 410);
    this.pages.render(res, 'set-password', setPasswordModel(purpose, token, link.name ?? ''));
  }

  private async save(purpose: LinkPurpose, token: string, body: unknown, res: Response): Promise<void> {
    const link = await this.links.inspect(purpose, token);
    if (link.state !== 'valid') return this.pages.render(res, 'error', linkProblemModel(purpose, link.state), 410);
    const form = readNewPasswordForm(body);
    const problems = newPasswordProblems(form);
    if (problems.length > 0)
      return this.pages.render(res, 'set-password', setPasswordModel(purpose, token, link.name ?? '', problems), 400);
    try {
      const { userId } = await this.links.setPassword(purpose, token, form.password);
      // Every other sign-in ends: API tokens by the epoch (in setPassword), web sessions here.
      await this.sessions.registry.endAll(userId);
      this.pages.render(res, 'error', passwordSavedModel());
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === DomainErrorCode.InvalidInput) {
        const text = (error.details[0] ?? error.message).replace(/^password is refused: /, '');
        return this.pages.render(
          res,
          'set-password',
          setPasswordModel(purpose, token, link.name ?? '', [{ field: 'newPassword', text }]),
          400,
        );
      }
      if (error.code === DomainErrorCode.Conflict) {
        const state = /expired/.test(error.message) ? 'expired' : /used/.test(error.message) ? 'used' : 'unknown';
        return this.pages.render(res, 'error', linkProblemModel(purpose, state), 410);
      }
      throw error;
    }
  }
}
