// `/overdue` and `/overdue.csv`: the overdue recommendations in the person's scope, most overdue first, filtered by a
// GET form.
import { Controller, Get, Inject, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OverdueListQuery } from '#application';
import { Page } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import { Role, type Actor } from '#domain';
import { appBaseUrl } from '../../app-links.js';
import { CsvDownload, sendCsvColumns } from '../../shared/csv.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { OVERDUE_PAGE_SIZE, overdueCsvColumns, overdueModel, readOverdueRequest } from '../view-models/overdue.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Manager, Role.Admin, Role.Inspector)
@Controller()
export class OverduePageController {
  constructor(
    private readonly overdue: OverdueListQuery,
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('overdue')
  async show(@PageActor() actor: Actor, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const request = readOverdueRequest(query);
    const [choices, page, total] = await Promise.all([
      this.overdue.filterChoices(actor, request.values.force || undefined),
      this.overdue.page(actor, request.filter, {
        after: request.after,
        before: request.before,
        limit: OVERDUE_PAGE_SIZE,
      }),
      this.overdue.count(actor, request.filter),
    ]);
    this.pages.render(res, 'overdue', overdueModel(request, choices, page, total));
  }

  @CsvDownload()
  @Get('overdue.csv')
  async download(@PageActor() actor: Actor, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const { filter } = readOverdueRequest(query);
    const day = new Date().toISOString().slice(0, 10);
    await sendCsvColumns(
      res,
      `overdue-recommendations-${day}.csv`,
      overdueCsvColumns(appBaseUrl(this.config)),
      this.overdue.pages(actor, filter),
    );
  }
}
