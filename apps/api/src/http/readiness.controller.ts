// The revisit readiness pack of one inspection, as JSON or (format=csv) one CSV row per recommendation.
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { READINESS_CSV_COLUMNS, ReadinessService, csvHeader, csvRows } from '#application';
import { Roles } from '#auth';
import { ALL_ROLES, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { sendCsv } from '../web/csv.js';
import { FormatQuery } from './dto/records.dto.js';
import { uuidParam } from './validation.js';

@ApiTags('inspections')
@ApiBearerAuth()
@Controller('inspections/:id/readiness')
export class ReadinessController {
  constructor(private readonly readiness: ReadinessService) {}

  @Roles(...ALL_ROLES)
  @Get()
  async pack(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Query() query: FormatQuery, @Res() res: Response): Promise<void> {
    const pack = await this.readiness.pack(actor, id);
    if (query.format === 'csv') {
      await sendCsv(res, `readiness-${pack.organisation.code}-${id.slice(0, 8)}.csv`, csvHeader(READINESS_CSV_COLUMNS), csvRows(READINESS_CSV_COLUMNS, [pack.recommendations]));
      return;
    }
    res.status(200).json(pack);
  }
}
