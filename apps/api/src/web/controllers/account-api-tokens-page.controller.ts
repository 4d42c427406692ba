// `/account/api-tokens`: a person's own personal API tokens: the list, making one (shown once) and revoking.
import { Body, Controller, Get, NotFoundException, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiTokensService } from '#application';
import { Page } from '#auth';
import { DomainError, DomainErrorCode, type Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import {
  accountTokensModel,
  makeTokenRequest,
  readMakeTokenForm,
  tokenMadeModel,
  type MakeTokenForm,
} from '../view-models/api-tokens.js';
import type { FieldMessage } from '../view-models/form-errors.js';
import { UUID } from '../view-models/form-fields.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page()
@Controller('account/api-tokens')
export class AccountApiTokensPageController {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(@PageActor() actor: Actor, @Res() res: Response): Promise<void> {
    await this.render(res, actor);
  }

  @Post()
  async make(@PageActor() actor: Actor, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const form = readMakeTokenForm(body);
    const { problems, request } = makeTokenRequest(form);
    if (!request) return this.render(res, actor, form, problems, 400);
    try {
      const { token, apiToken } = await this.tokens.make(actor, request);
      // Shown in this answer only, never stored or redirected through the session.
      res.setHeader('Cache-Control', 'no-store');
      this.pages.render(
        res,
        'account-api-token-made',
        tokenMadeModel(token, apiToken.name, apiToken.scope, apiToken.expiresAt),
        201,
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.Forbidden)
        return this.render(res, actor, form, [], 403);
      if (error instanceof DomainError && error.code === DomainErrorCode.InvalidInput) {
        return this.render(
          res,
          actor,
          form,
          [{ field: 'expiresOn', text: 'Expiry date must be today or in the future', anchor: 'expiresOn-day' }],
          400,
        );
      }
      throw error;
    }
  }

  @Post(':tokenId/revoke')
  async revoke(@PageActor() actor: Actor, @Param('tokenId') tokenId: string, @Res() res: Response): Promise<void> {
    if (!UUID.test(tokenId)) throw new NotFoundException();
    await this.tokens.revoke(actor, actor.id, tokenId);
    this.pages.redirect(res, '/account/api-tokens', { heading: 'API token revoked', lines: ['It no longer works.'] });
  }

  private async render(
    res: Response,
    actor: Actor,
    form?: MakeTokenForm,
    messages: FieldMessage[] = [],
    status = 200,
  ): Promise<void> {
    const [allowed, tokens] = await Promise.all([this.tokens.roleAllowed(actor.role), this.tokens.list(actor.id)]);
    this.pages.render(
      res,
      'account-api-tokens',
      accountTokensModel({ allowed, tokens, now: new Date(), form, messages }),
      status,
    );
  }
}
