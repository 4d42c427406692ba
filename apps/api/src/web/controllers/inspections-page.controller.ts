// `/inspections` pages: the list, one inspection with every recommendation, its dates form and both CSV downloads.
import { Controller, Get, Param, Post, Query, Body, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { InspectionsService, OrganisationsService, WorkQueries, type InspectionView } from '#application';
import { Page } from '#auth';
import { canManageInspection, DomainError, DomainErrorCode, type Actor } from '#domain';
import { CsvDownload, sendCsv } from '../../shared/csv.js';
import { PAGE_VERSION } from '../../shared/negotiation.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { readDatesForm, updateDates } from '../forms/inspection-dates.form.js';
import {
  INSPECTION_CSV_HEADER,
  inspectionCsvRow,
  inspectionDatesModel,
  inspectionListModel,
  inspectionModel,
  RECOMMENDATION_CSV_HEADER,
  recommendationCsvRow,
  type Names,
} from '../view-models/inspections.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { uuidParam } from '../../shared/validation.js';

const CSV_PAGE_SIZE = 500;

// Every route here lives under an API resource path: only browsers reach them, so API clients keep
// exactly the answers they had (JSON, or Nest's JSON 404 for a path the API does not have).
@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller({ version: PAGE_VERSION })
export class InspectionsPageController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly organisations: OrganisationsService,
    private readonly work: WorkQueries,
    private readonly pages: PageRenderer,
  ) {}

  @Page()
  @Get('inspections')
  async list(
    @PageActor() actor: Actor,
    @Query('organisationId') organisationId: unknown,
    @Query('cursor') cursor: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const filter = this.filterOf(organisationId);
    const [page, orgs] = await Promise.all([
      this.inspections.list(actor, filter, { cursor: typeof cursor === 'string' ? cursor : undefined }),
      this.organisations.list(actor, { limit: 500 }),
    ]);
    const [names, counts] = await Promise.all([
      this.namesFor(page.items),
      this.work.inspectionCounts(page.items.map((i) => i.id)),
    ]);
    this.pages.render(
      res,
      'inspections',
      inspectionListModel(page, names, counts, orgs.items, filter.organisationId ?? ''),
    );
  }

  @Page()
  @CsvDownload()
  @Get('inspections.csv')
  async listCsv(
    @PageActor() actor: Actor,
    @Query('organisationId') organisationId: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const filter = this.filterOf(organisationId);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- an async generator cannot be an arrow function
    const self = this;
    await sendCsv(
      res,
      'inspections.csv',
      INSPECTION_CSV_HEADER,
      (async function* () {
        let cursor: string | undefined;
        do {
          const page = await self.inspections.list(actor, filter, { cursor, limit: CSV_PAGE_SIZE });
          const [names, counts] = await Promise.all([
            self.namesFor(page.items),
            self.work.inspectionCounts(page.items.map((i) => i.id)),
          ]);
          const rows = inspectionListModel(page, names, counts, [], '').rows;
          yield page.items.map((inspection, i) => inspectionCsvRow(inspection, rows[i]));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      })(),
    );
  }

  @Page()
  @Get('inspections/:id')
  async show(@PageActor() actor: Actor, @Param('id', uuidParam()) id: string, @Res() res: Response): Promise<void> {
    const inspection = await this.inspections.get(actor, id);
    const names = await this.namesFor([inspection]);
    this.pages.render(res, 'inspection', inspectionModel(inspection, names, canManageInspection(actor, inspection)));
  }

  @Page()
  @CsvDownload()
  @Get('inspections/:id/recommendations.csv')
  async showCsv(@PageActor() actor: Actor, @Param('id', uuidParam()) id: string, @Res() res: Response): Promise<void> {
    const inspection = await this.inspections.get(actor, id);
    await sendCsv(
      res,
      `inspection-${id}.csv`,
      RECOMMENDATION_CSV_HEADER,
      (async function* () {
        yield (inspection.recommendations ?? []).map(recommendationCsvRow);
      })(),
    );
  }

  @Page()
  @Get('inspections/:id/dates')
  async editDates(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Res() res: Response,
  ): Promise<void> {
    const inspection = await this.inspections.get(actor, id);
    if (!canManageInspection(actor, inspection))
      throw new DomainError(
        DomainErrorCode.Forbidden,
        'only the lead inspector or an administrator may change these dates',
      );
    this.pages.render(res, 'inspection-dates', inspectionDatesModel(inspection));
  }

  @Page()
  @Post('inspections/:id/dates')
  async changeDates(
    @PageActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const before = await this.inspections.get(actor, id);
    const outcome = await updateDates(this.inspections, actor, before, readDatesForm(body));
    if (outcome.kind === 'saved') return this.pages.redirect(res, `/inspections/${id}`, outcome.flash);
    this.pages.render(
      res,
      'inspection-dates',
      inspectionDatesModel(outcome.current, outcome.values, outcome.errors, outcome.stale),
      outcome.status,
    );
  }

  private filterOf(organisationId: unknown): { organisationId?: string } {
    return typeof organisationId === 'string' && /^[0-9a-f-]{36}$/i.test(organisationId) ? { organisationId } : {};
  }

  private async namesFor(inspections: InspectionView[]): Promise<Names> {
    const [organisations, users] = await Promise.all([
      this.work.organisationNames(inspections.map((i) => i.organisationId)),
      this.work.userNames(inspections.map((i) => i.leadInspectorId)),
    ]);
    return { organisations, users };
  }
}
