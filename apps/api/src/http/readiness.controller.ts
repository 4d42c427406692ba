// /inspections/{id}/readiness: the revisit readiness pack of one inspection, as JSON or one CSV row per recommendation.
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ReadinessService, csvHeader, csvRows, readinessCsvColumns } from '#application';
import { ALL_ROLES, type Actor } from '#domain';
import { sendCsv } from '../shared/csv.js';
import { CurrentActor } from './actor.decorator.js';
import { FormatQuery, ReadinessPackResponse } from '../shared/dto/readiness.dto.js';
import { ApiEndpoint, ApiRoles, textBody } from './openapi.js';
import { uuidParam } from '../shared/validation.js';

@ApiTags('inspections')
@Controller('inspections/:id/readiness')
export class ReadinessController {
  constructor(private readonly readiness: ReadinessService) {}

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint(
    "The revisit readiness pack: every recommendation's plan, evidence, date changes, history and notices sent",
    {
      status: 200,
      body: [ReadinessPackResponse, textBody('text/csv', 'with format=csv: one row per recommendation')],
      errors: [400, 404],
    },
  )
  @Get()
  async pack(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Query() query: FormatQuery,
    @Res() res: Response,
  ): Promise<void> {
    const pack = await this.readiness.pack(actor, id);
    if (query.format === 'csv') {
      await sendCsv(
        res,
        `readiness-${pack.organisation.code}-${id.slice(0, 8)}.csv`,
        csvHeader(readinessCsvColumns(actor, pack)),
        csvRows(readinessCsvColumns(actor, pack), [pack.recommendations]),
      );
      return;
    }
    res.status(200).json(pack);
  }
}
