// `/import`: a report's recommendations from a CSV file: check (preview or named bad rows), then import in one
// transaction.
import { readFile } from 'node:fs/promises';
import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { InspectionsService, OrganisationsService, UsersService } from '#application';
import { Page } from '#auth';
import { Role, type Actor } from '#domain';
import { MultipartBody, type UploadRequest } from '../../shared/request-body/multipart.js';
import { EMPTY_IMPORT, readImportForm, runImport, type ImportValues } from '../forms/import.form.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { NO_ERRORS, type FormErrors } from '../view-models/form-errors.js';
import { importModel } from '../view-models/records/import.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

/** The largest CSV file the import page takes (a 2,000-row report is about 1 MB). */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** The checked file comes back base64-encoded in a hidden field (the page works without JavaScript). */
const MAX_CHECKED_BYTES = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4;
const SHORT = 1_000;
/**
 * Typed text: up to this the form's own checks name the field ("must be 500 characters or fewer"); beyond it 413, as
 * for the API's 100 KB body.
 */
const TYPED = 100 * 1024 + 1;

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

  /**
   * Multipart, read only after PageAccessGuard has found a signed-in admin or inspector and checked the CSRF
   * token in the form action's query string; the form's own fields only, each within its size.
   */
  @Page(Role.Admin, Role.Inspector)
  @MultipartBody({
    files: { csvFile: { maxCount: 1 } },
    maxFileBytes: MAX_UPLOAD_BYTES,
    fields: {
      _csrf: SHORT,
      action: 20,
      organisationId: 100,
      title: TYPED * 4,
      programme: TYPED * 4,
      'published-day': SHORT,
      'published-month': SHORT,
      'published-year': SHORT,
      leadInspectorId: 100,
      checkedCsv: MAX_CHECKED_BYTES,
      checkedName: SHORT,
      confirmOverdue: SHORT,
    },
    maxTotalBytes: MAX_UPLOAD_BYTES + MAX_CHECKED_BYTES + 64 * 1024,
  })
  @Post()
  async submit(
    @PageActor() actor: Actor,
    @Body() body: unknown,
    @Req() req: UploadRequest,
    @Res() res: Response,
  ): Promise<void> {
    const upload = req.uploads?.csvFile?.[0];
    const file =
      upload && upload.size > 0
        ? { buffer: await readFile(upload.path), originalname: upload.originalName }
        : undefined;
    const posted = readImportForm(body, file);
    const outcome = await runImport(this.inspections, actor, posted);
    if (outcome.kind === 'imported') {
      const count = outcome.inspection.recommendations?.length ?? 0;
      return this.pages.redirect(res, `/inspections/${outcome.inspection.id}`, {
        heading: `Imported ${count} recommendation${count === 1 ? '' : 's'} as a draft`,
        lines: ['Only inspectorate staff can see it until you publish it.'],
      });
    }
    if (outcome.kind === 'errors') return this.render(res, actor, posted.values, outcome.errors, undefined, 400);
    const preview = {
      rows: outcome.rows,
      plan: outcome.plan,
      csv: posted.csv!.toString('base64'),
      fileName: posted.fileName,
    };
    await this.render(res, actor, posted.values, outcome.errors ?? NO_ERRORS, preview, outcome.errors ? 400 : 200);
  }

  private async render(
    res: Response,
    actor: Actor,
    values: ImportValues,
    errors: FormErrors,
    preview?: Parameters<typeof importModel>[4],
    status = 200,
  ): Promise<void> {
    const [orgs, inspectors] = await Promise.all([
      this.organisations.list(actor, { limit: 500 }),
      this.users.list({ limit: 500 }, { activeWithRole: Role.Inspector }),
    ]);
    this.pages.render(res, 'import', importModel(values, orgs.items, inspectors.items, errors, preview), status);
  }
}
