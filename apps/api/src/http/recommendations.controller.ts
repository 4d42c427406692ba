import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { LedgerService, RECOMMENDATION_CSV_COLUMNS, RecommendationsService, csvHeader, csvRows } from '#application';
import { Roles } from '#auth';
import { ALL_ROLES, Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { PageQuery } from './dto/common.dto.js';
import { sendCsv } from '../web/csv.js';
import { NotificationListQuery, RecommendationListQuery, TransitionRequest } from './dto/recommendation.dto.js';
import { uuidParam } from './validation.js';

@ApiTags('recommendations')
@ApiBearerAuth()
@Controller()
export class RecommendationsController {
  constructor(
    private readonly recommendations: RecommendationsService,
    private readonly ledger: LedgerService,
  ) {}

  @Roles(...ALL_ROLES)
  @Get('recommendations')
  list(@CurrentActor() actor: Actor, @Query() query: RecommendationListQuery) {
    const { limit, cursor, ...filter } = query;
    return this.recommendations.list(actor, filter, { limit, cursor });
  }

  /** The list's rows and filters as a streamed, spreadsheet-safe CSV (every page, not one). */
  @Roles(...ALL_ROLES)
  @Get('recommendations.csv')
  async export(@CurrentActor() actor: Actor, @Query() query: RecommendationListQuery, @Res() res: Response): Promise<void> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    await sendCsv(res, 'recommendations.csv', csvHeader(RECOMMENDATION_CSV_COLUMNS), csvRows(RECOMMENDATION_CSV_COLUMNS, this.recommendations.pages(actor, filter)));
  }

  @Roles(...ALL_ROLES)
  @Get('recommendations/:id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.recommendations.get(actor, id);
  }

  @Roles(...ALL_ROLES)
  @Get('recommendations/:id/history')
  history(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Query() query: PageQuery) {
    return this.recommendations.history(actor, id, query);
  }

  @Roles(...ALL_ROLES)
  @Post('recommendations/:id/transitions')
  @HttpCode(200)
  transition(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: TransitionRequest) {
    return this.recommendations.transition(actor, id, body);
  }

  @Roles(Role.Admin, Role.Manager, Role.Inspector)
  @Get('notifications')
  notifications(@CurrentActor() actor: Actor, @Query() query: NotificationListQuery) {
    const { limit, cursor, ...filter } = query;
    return this.ledger.list(actor, filter, { limit, cursor });
  }
}
