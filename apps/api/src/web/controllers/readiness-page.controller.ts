// `/inspections/<id>/readiness`: the printable revisit readiness pack, and its CSV.
import { Controller, Get, Param, Res, UseFilters, Version } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ReadinessService, csvHeader, csvRows, readinessCsvColumns } from '#application';
import { Page } from '#auth';
import type { Actor } from '#domain';
import { uuidParam } from '../../shared/validation.js';
import { CsvDownload, sendCsv } from '../../shared/csv.js';
import { PAGE_VERSION } from '../../shared/negotiation.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { readinessModel } from '../view-models/records/readiness.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('inspections/:id')
export class ReadinessPageController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly pages: PageRenderer,
  ) {}

  @Page()
  @Version(PAGE_VERSION)
  @Get('readiness')
  async show(@PageActor() actor: Actor, @Param('id', uuidParam()) id: string, @Res() res: Response): Promise<void> {
    this.pages.render(res, 'readiness', readinessModel(await this.readiness.pack(actor, id)));
  }

  @Page()
  @CsvDownload()
  @Get('readiness.csv')
  async csv(@PageActor() actor: Actor, @Param('id', uuidParam()) id: string, @Res() res: Response): Promise<void> {
    const pack = await this.readiness.pack(actor, id);
    await sendCsv(
      res,
      `readiness-${pack.organisation.code}-${id.slice(0, 8)}.csv`,
      csvHeader(readinessCsvColumns(actor, pack)),
      csvRows(readinessCsvColumns(actor, pack), [pack.recommendations]),
    );
  }
}
