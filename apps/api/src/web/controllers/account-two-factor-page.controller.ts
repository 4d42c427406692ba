// `/account/two-factor`: a signed-in person turns two-factor sign-in on (QR code, key, a code, recovery codes) or,
// where their role does not require it, off with a code.
import { Body, Controller, Get, Inject, Ip, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { TwoFactorService, UsersService } from '#application';
import { Page } from '#auth';
import type { Actor } from '#domain';
import { LOGIN_LIMITER, type LoginLimiter } from '../../shared/login-limiter.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { pageTitle } from '../page-title.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { formErrors, NO_ERRORS, type FieldMessage } from '../view-models/form-errors.js';
import { NO_CODE, readCode, recoveryCodesModel, setUpModel, TOO_MANY, WRONG_CODE } from '../view-models/two-factor.js';
import { confirmSetUp, consumeSignInAttempt, setUpKey, setUpQrCode } from '../two-factor-set-up.js';

declare module 'express-session' {
  interface SessionData {
    /** The key being set up from /account/two-factor, until a code from the app confirms it. */
    accountTwoFactorSecret: string;
  }
}

const SET_UP = '/account/two-factor/set-up';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page()
@Controller('account/two-factor')
export class AccountTwoFactorPageController {
  constructor(
    private readonly twoFactor: TwoFactorService,
    private readonly users: UsersService,
    private readonly pages: PageRenderer,
    @Inject(LOGIN_LIMITER) private readonly limiter: LoginLimiter,
  ) {}

  @Get()
  async show(@PageActor() actor: Actor, @Res() res: Response): Promise<void> {
    await this.render(res, actor);
  }

  @Get('set-up')
  async setUpForm(@PageActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    if ((await this.twoFactor.status(actor.id, actor.role)).enabled)
      return this.pages.redirect(res, '/account/two-factor');
    const { email } = await this.users.view(actor.id);
    const secret = await setUpKey(this.twoFactor, req, email, req.session.accountTwoFactorSecret, (key) => {
      req.session.accountTwoFactorSecret = key;
    });
    this.pages.render(res, 'two-factor-setup', await this.setUpPage(email, secret));
  }

  @Post('set-up')
  async setUp(
    @PageActor() actor: Actor,
    @Body() body: unknown,
    @Ip() ip: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const secret = req.session.accountTwoFactorSecret;
    if (!secret) return this.pages.redirect(res, SET_UP);
    const { email } = await this.users.view(actor.id);
    const outcome = await confirmSetUp(this.twoFactor, this.limiter, actor.id, secret, body, {
      clientAddress: ip,
      email,
    });
    if ('problem' in outcome)
      return this.pages.render(
        res,
        'two-factor-setup',
        await this.setUpPage(email, secret, [outcome.problem]),
        outcome.status,
      );
    delete req.session.accountTwoFactorSecret;
    this.pages.render(res, 'recovery-codes', recoveryCodesModel(outcome.codes, '/account/two-factor'));
  }

  @Post('turn-off')
  async turnOff(
    @PageActor() actor: Actor,
    @Body() body: unknown,
    @Ip() ip: string,
    @Res() res: Response,
  ): Promise<void> {
    const status = await this.twoFactor.status(actor.id, actor.role);
    if (!status.enabled) return this.pages.redirect(res, '/account/two-factor');
    if (status.required) return this.render(res, actor, [], 409);
    const code = readCode(body);
    if (code === '') return this.render(res, actor, [NO_CODE], 400);
    const { email } = await this.users.view(actor.id);
    // A code here counts against the sign-in limit, as on the sign-in pages.
    const attempt = { clientAddress: ip, email };
    if (!(await consumeSignInAttempt(this.limiter, attempt))) return this.render(res, actor, [TOO_MANY], 429);
    if (!(await this.twoFactor.verify(actor.id, code))) return this.render(res, actor, [WRONG_CODE], 400);
    await this.limiter.succeeded(attempt);
    await this.twoFactor.disable(actor);
    this.pages.redirect(res, '/account/two-factor', {
      heading: 'Two-factor sign-in is off',
      lines: ['You sign in with your password only. You can turn it on again here.'],
    });
  }

  private async render(res: Response, actor: Actor, messages: FieldMessage[] = [], status = 200): Promise<void> {
    const state = await this.twoFactor.status(actor.id, actor.role);
    this.pages.render(
      res,
      'account-two-factor',
      {
        pageTitle: pageTitle('Two-factor sign-in', 'Your account'),
        backLink: { href: '/account', text: 'Back to your account' },
        ...state,
        setUpHref: SET_UP,
        errors: messages.length > 0 ? formErrors(messages) : NO_ERRORS,
      },
      status,
    );
  }

  private async setUpPage(email: string, secret: string, messages: FieldMessage[] = []) {
    const qr = await setUpQrCode(this.twoFactor, email, secret);
    return {
      ...setUpModel(qr, secret, messages),
      action: SET_UP,
      intro: 'Two-factor sign-in adds a second step when you sign in',
      backLink: { href: '/account/two-factor', text: 'Back' },
    };
  }
}
