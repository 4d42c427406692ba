// `/account/password` and `/account/sessions`: change your own password (the current one through the login limit) and
// end your other sessions.
import { Body, Controller, Get, Ip, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PasswordsService, UsersService } from '#application';
import { Page } from '#auth';
import { DomainError, DomainErrorCode, type Actor } from '#domain';
import { LoginService } from '../../shared/login.service.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebSessions } from '../web-sessions.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import {
  changePasswordModel,
  changePasswordProblems,
  readChangePasswordForm,
  sessionsModel,
} from '../view-models/account-security.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page()
@Controller('account')
export class AccountSecurityPageController {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordsService,
    private readonly logins: LoginService,
    private readonly sessions: WebSessions,
    private readonly pages: PageRenderer,
  ) {}

  @Get('password')
  passwordForm(@Res() res: Response): void {
    this.pages.render(res, 'account-password', changePasswordModel());
  }

  @Post('password')
  async changePassword(
    @PageActor() actor: Actor,
    @Body() body: unknown,
    @Ip() ip: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = readChangePasswordForm(body);
    const problems = changePasswordProblems(form);
    if (problems.length > 0) return this.pages.render(res, 'account-password', changePasswordModel(problems), 400);
    const me = await this.users.view(actor.id);
    try {
      // The current password counts against the same limit as signing in: this form is no way round it.
      await this.logins.login(me.email, form.current, ip);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === DomainErrorCode.Unauthenticated)
        return this.pages.render(
          res,
          'account-password',
          changePasswordModel([{ field: 'currentPassword', text: 'Your current password is not right' }]),
          400,
        );
      if (error.code === DomainErrorCode.RateLimited) {
        return this.pages.render(
          res,
          'account-password',
          changePasswordModel([
            { field: 'currentPassword', text: 'There have been too many attempts. Wait 15 minutes, then try again' },
          ]),
          429,
        );
      }
      throw error;
    }
    try {
      const { tokenEpoch } = await this.passwords.change(actor, form.password);
      // This session carries the new epoch and stays; every other one, and every API token, ends.
      req.session.tokenEpoch = tokenEpoch;
    } catch (error) {
      if (!(error instanceof DomainError && error.code === DomainErrorCode.InvalidInput)) throw error;
      const text = (error.details[0] ?? error.message).replace(/^password is refused: /, '');
      return this.pages.render(res, 'account-password', changePasswordModel([{ field: 'newPassword', text }]), 400);
    }
    await this.sessions.registry.endAll(actor.id, req.sessionID);
    this.pages.redirect(res, '/account', {
      heading: 'Your password has been changed',
      lines: ['You have been signed out everywhere else.'],
    });
  }

  @Get('sessions')
  async showSessions(@PageActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.pages.render(
      res,
      'account-sessions',
      sessionsModel(await this.sessions.registry.list(actor.id), req.sessionID),
    );
  }

  @Post('sessions/sign-out-others')
  async signOutOthers(@PageActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    const ended = await this.sessions.registry.endAll(actor.id, req.sessionID);
    this.pages.redirect(res, '/account/sessions', {
      heading:
        ended === 1 ? 'You have signed out of 1 other session' : `You have signed out of ${ended} other sessions`,
      lines: [],
    });
  }
}
