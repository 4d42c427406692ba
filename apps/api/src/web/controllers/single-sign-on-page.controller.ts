// `/sign-in/oidc`: single sign-on through the organisation's identity provider (OpenID Connect), its callback, and the
// provider's back-channel logout.
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Ip,
  NotFoundException,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SingleSignOnService } from '#application';
import { Public, SignedOutPage } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import type { Actor } from '#domain';
import { OidcTransactions } from '../oidc/oidc-transaction.js';
import { ProviderUnavailable, RelyingParty, SingleSignOnFailed } from '../oidc/relying-party.js';
import { PageRenderer } from '../page-renderer.js';
import { beginSession } from '../sign-in-session.js';
import { safeReturnTo } from '../view-models/return-to.js';
import { singleSignOnProblem } from '../view-models/single-sign-on.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { WebSessions } from '../web-sessions.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('sign-in/oidc')
export class SingleSignOnPageController {
  private readonly transactions: OidcTransactions;

  constructor(
    private readonly relyingParty: RelyingParty,
    private readonly singleSignOn: SingleSignOnService,
    private readonly pages: PageRenderer,
    private readonly sessions: WebSessions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.transactions = new OidcTransactions(config.auditKey);
  }

  /**
   * Leaves for the identity provider with a fresh state, nonce and PKCE challenge (kept sealed in a cookie until it
   * comes back).
   */
  @SignedOutPage()
  @Get()
  async start(
    @Query('returnTo') returnTo: unknown,
    @Req() req: Request & { actor?: Actor },
    @Res() res: Response,
  ): Promise<void> {
    if (!this.relyingParty.enabled) throw new NotFoundException();
    if (req.actor) return this.pages.redirect(res, safeReturnTo(returnTo));
    let begun;
    try {
      begun = await this.relyingParty.begin(safeReturnTo(returnTo));
    } catch {
      return this.pages.render(res, 'error', singleSignOnProblem('unavailable'), 503);
    }
    this.transactions.keep(req, res, begun.transaction);
    res.redirect(303, begun.url);
  }

  /**
   * The provider sends the browser back here: the answer is checked, then the person is signed in (their account made
   * or brought up to date) or refused.
   */
  @SignedOutPage()
  @Get('callback')
  async callback(@Ip() ip: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.relyingParty.enabled) throw new NotFoundException();
    const transaction = this.transactions.take(req, res);
    if (!transaction) return this.pages.render(res, 'error', singleSignOnProblem('expired'), 400);
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    let completed;
    try {
      completed = await this.relyingParty.complete(query, transaction);
    } catch (error) {
      if (error instanceof ProviderUnavailable)
        return this.pages.render(res, 'error', singleSignOnProblem('unavailable'), 503);
      if (!(error instanceof SingleSignOnFailed)) throw error;
      return this.pages.render(res, 'error', singleSignOnProblem('failed'), 400);
    }
    const outcome = await this.singleSignOn.signIn(completed.identity);
    if (!outcome.signedIn) return this.pages.render(res, 'error', singleSignOnProblem(outcome.refusal), 403);
    // No second factor here: the identity provider asked for it (docs/identity.md).
    await beginSession(req, this.sessions, this.config.sessionAbsoluteMs, outcome.user, ip, {
      idToken: completed.idToken,
    });
    this.pages.redirect(res, transaction.returnTo);
  }

  /**
   * OpenID Connect Back-Channel Logout: the provider posts a signed logout token when the person signs out
   * there; every session and token of theirs here ends. 200 when done (or nobody is linked), 400 for a token
   * that does not check out.
   */
  @Public()
  @Post('backchannel-logout')
  @HttpCode(200)
  async backchannelLogout(@Body() body: unknown, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const token =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>).logout_token : undefined;
    if (!this.relyingParty.enabled) throw new NotFoundException();
    if (typeof token !== 'string' || token === '')
      return void res.status(400).json({ error: 'invalid_request', error_description: 'logout_token is required' });
    let who;
    try {
      who = await this.relyingParty.verifyLogoutToken(token);
    } catch (error) {
      if (error instanceof ProviderUnavailable) return void res.status(503).json({ error: 'temporarily_unavailable' });
      if (!(error instanceof SingleSignOnFailed)) throw error;
      return void res.status(400).json({ error: 'invalid_request', error_description: 'logout_token is not valid' });
    }
    const userId = await this.singleSignOn.signedOutAtProvider(who.issuer, who.subject);
    if (userId) await this.sessions.registry.endAll(userId);
    res.status(200).end();
  }
}
