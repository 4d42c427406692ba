// `/admin/organisations`: the list of organisations (forces) and the form that adds one, through OrganisationsService.
import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganisationsService } from '#application';
import { Page } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import { Role, type Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import {
  codeInUse,
  organisationFormModel,
  organisationListModel,
  organisationProblems,
  readOrganisationForm,
} from '../view-models/admin-organisations.js';
import { isConflict, isStaleVersion } from '../view-models/form-fields.js';
import { CHOOSE, readSignInSettingForm, signInSettingModel } from '../view-models/admin-organisation-sign-in.js';
import { usableCursor } from '../view-models/paging.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Admin)
@Controller('admin/organisations')
export class AdminOrganisationsPageController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@PageActor() actor: Actor, @Query('after') after: unknown, @Res() res: Response): Promise<void> {
    const cursor = usableCursor(after);
    this.pages.render(
      res,
      'admin/organisations',
      organisationListModel(await this.organisations.list(actor, { cursor, limit: 50 }), cursor),
    );
  }

  @Get('new')
  form(@Res() res: Response): void {
    this.pages.render(res, 'admin/organisation-new', organisationFormModel());
  }

  @Post('new')
  async create(@PageActor() actor: Actor, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const form = readOrganisationForm(body);
    const problems = organisationProblems(form);
    if (problems.length > 0)
      return this.pages.render(res, 'admin/organisation-new', organisationFormModel(form, problems), 400);
    try {
      const created = await this.organisations.create(actor, form);
      this.pages.redirect(res, '/admin/organisations', {
        heading: `${created.name} has been added`,
        lines: [`Its code is ${created.code}.`],
      });
    } catch (error) {
      if (!isConflict(error)) throw error;
      this.pages.render(res, 'admin/organisation-new', organisationFormModel(form, [codeInUse(form.code)]), 409);
    }
  }

  /** How the organisation's people sign in: with a password too, or single sign-on only (docs/identity.md). */
  @Get(':id/sign-in')
  async signInSetting(@Param('id') id: string, @Res() res: Response): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    const organisation = await this.organisations.signInSetting(id);
    this.pages.render(
      res,
      'admin/organisation-sign-in',
      signInSettingModel(organisation, { singleSignOnConfigured: this.config.oidc !== null }),
    );
  }

  @Post(':id/sign-in')
  async saveSignInSetting(
    @PageActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id)) throw new NotFoundException();
    const form = readSignInSettingForm(body);
    const configured = this.config.oidc !== null;
    if (form.ssoOnly === null || form.version === null) {
      return this.pages.render(
        res,
        'admin/organisation-sign-in',
        signInSettingModel(await this.organisations.signInSetting(id), {
          messages: [CHOOSE],
          singleSignOnConfigured: configured,
        }),
        400,
      );
    }
    try {
      await this.organisations.setSsoOnly(actor, id, { version: form.version, ssoOnly: form.ssoOnly });
    } catch (error) {
      if (!isStaleVersion(error)) throw error;
      const current = await this.organisations.signInSetting(id);
      return this.pages.render(
        res,
        'admin/organisation-sign-in',
        signInSettingModel(current, {
          conflict:
            'Someone else changed this organisation while you were on this page. Its current setting is shown: check it and save again if needed.',
          singleSignOnConfigured: configured,
        }),
        409,
      );
    }
    const saved = await this.organisations.signInSetting(id);
    this.pages.redirect(res, '/admin/organisations', {
      heading: `${saved.name}: sign-in saved`,
      lines: [
        saved.ssoOnly
          ? 'Its people now sign in only with their organisation account.'
          : 'Its people may sign in with a password or their organisation account.',
      ],
    });
  }
}
