// `/admin/api-tokens`: which roles may have personal API tokens; and an administrator revoking a person's token from
// their user page.
import { Body, Controller, Get, NotFoundException, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiTokensService } from '#application';
import { Page } from '#auth';
import { Role, type Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { readAllowedRoles, tokenSettingsModel } from '../view-models/api-tokens.js';
import { isStaleVersion, STALE_MESSAGE, UUID } from '../view-models/form-fields.js';
import { textField } from '../view-models/form-errors.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Admin)
@Controller('admin')
export class AdminApiTokensPageController {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('api-tokens')
  async show(@Res() res: Response): Promise<void> {
    const { allowedRoles, version } = await this.tokens.settings();
    this.pages.render(res, 'admin/api-tokens', tokenSettingsModel(allowedRoles, version));
  }

  @Post('api-tokens')
  async save(@PageActor() actor: Actor, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const version = Number(textField(body, 'version'));
    try {
      await this.tokens.saveSettings(actor, {
        allowedRoles: readAllowedRoles(body),
        version: Number.isInteger(version) ? version : -1,
      });
    } catch (error) {
      if (!isStaleVersion(error)) throw error;
      const current = await this.tokens.settings();
      return this.pages.render(
        res,
        'admin/api-tokens',
        tokenSettingsModel(current.allowedRoles, current.version, STALE_MESSAGE),
        409,
      );
    }
    this.pages.redirect(res, '/admin/api-tokens', { heading: 'API token settings saved', lines: [] });
  }

  @Post('users/:id/api-tokens/:tokenId/revoke')
  async revoke(
    @PageActor() actor: Actor,
    @Param('id') id: string,
    @Param('tokenId') tokenId: string,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id) || !UUID.test(tokenId)) throw new NotFoundException();
    await this.tokens.revoke(actor, id, tokenId);
    this.pages.redirect(res, `/admin/users/${id}`, { heading: 'API token revoked', lines: ['It no longer works.'] });
  }
}
