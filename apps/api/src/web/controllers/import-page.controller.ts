// `/import`: a report's recommendations from a CSV file: check (preview or named bad rows), then import in one transaction.
import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InspectionsService, OrganisationsService, UsersService } from '#application';
import { Page } from '#auth';
import { Role, type Actor } from '#domain';
import { EMPTY_IMPORT, readImportForm, runImport, type ImportValues } from '../forms/import.form.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { NO_ERRORS, type FormErrors } from '../view-models/form-errors.js';
import { importModel } from '../view-models/records/import.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('import')
export class ImportPageController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly organisations: OrganisationsService,
    private readonly users: UsersService,
    private readonly pages: PageRenderer,
  ) {}

  @Page(Role.Admin, Role.Inspector)
  @Get()
  async form(@PageActor() actor: Actor, @Res() res: Response): Promise<void> {
    const values: ImportValues = { ...EMPTY_IMPORT, leadInspectorId: actor.role === Role.Inspector ? actor.id : '' };
    await this.render(res, actor, values, NO_ERRORS);
  }

  /** The file arrives as multipart (parsed before the guards, so the CSRF field is read); see web.setup.ts. */
  @Page(Role.Admin, Role.Inspector)
  @Post()
  async submit(@PageActor() actor: Actor, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const posted = readImportForm(body, (req as Request & { file?: { buffer: Buffer; originalname: string } }).file);
    const outcome = await runImport(this.inspections, actor, posted);
    if (outcome.kind === 'imported') {
      const count = outcome.inspection.recommendations?.length ?? 0;
      return this.pages.redirect(res, `/inspections/${outcome.inspection.id}`, { heading: `Imported ${count} recommendation${count === 1 ? '' : 's'}`, lines: [] });
    }
    if (outcome.kind === 'errors') return this.render(res, actor, posted.values, outcome.errors, undefined, 400);
    const preview = { rows: outcome.rows, plan: outcome.plan, csv: posted.csv!.toString('base64'), fileName: posted.fileName };
    await this.render(res, actor, posted.values, outcome.errors ?? NO_ERRORS, preview, outcome.errors ? 400 : 200);
  }

  private async render(res: Response, actor: Actor, values: ImportValues, errors: FormErrors, preview?: Parameters<typeof importModel>[4], status = 200): Promise<void> {
    const [orgs, inspectors] = await Promise.all([this.organisations.list(actor, { limit: 500 }), this.users.list({ limit: 500 }, { activeWithRole: Role.Inspector })]);
    this.pages.render(res, 'import', importModel(values, orgs.items, inspectors.items, errors, preview), status);
  }
}
