// `/admin/organisations`: the list of organisations (forces) and the form that adds one, through OrganisationsService.
import { Body, Controller, Get, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganisationsService } from '#application';
import { Page } from '#auth';
import { Role, type Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { codeInUse, organisationFormModel, organisationListModel, organisationProblems, readOrganisationForm } from '../view-models/admin-organisations.js';
import { isConflict } from '../view-models/form-fields.js';
import { usableCursor } from '../view-models/paging.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Admin)
@Controller('admin/organisations')
export class AdminOrganisationsPageController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(@PageActor() actor: Actor, @Query('after') after: unknown, @Res() res: Response): Promise<void> {
    const cursor = usableCursor(after);
    this.pages.render(res, 'admin/organisations', organisationListModel(await this.organisations.list(actor, { cursor, limit: 50 }), cursor));
  }

  @Get('new')
  form(@Res() res: Response): void {
    this.pages.render(res, 'admin/organisation-new', organisationFormModel());
  }

  @Post('new')
  async create(@PageActor() actor: Actor, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const form = readOrganisationForm(body);
    const problems = organisationProblems(form);
    if (problems.length > 0) return this.pages.render(res, 'admin/organisation-new', organisationFormModel(form, problems), 400);
    try {
      const created = await this.organisations.create(actor, form);
      this.pages.redirect(res, '/admin/organisations', { heading: `${created.name} has been added`, lines: [`Its code is ${created.code}.`] });
    } catch (error) {
      if (!isConflict(error)) throw error;
      this.pages.render(res, 'admin/organisation-new', organisationFormModel(form, [codeInUse(form.code)]), 409);
    }
  }
}
