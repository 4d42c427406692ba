// /recommendations: the workflow's items: list, export, read, history, and the actions that move them.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RECOMMENDATION_CSV_COLUMNS, RecommendationsService, csvHeader, csvRows } from '#application';
import { ALL_ROLES, type Actor } from '#domain';
import { sendCsv } from '../shared/csv.js';
import { CurrentActor } from './actor.decorator.js';
import { PageQuery } from '../shared/dto/common.dto.js';
import {
  HistoryPage,
  RecommendationDetailResponse,
  RecommendationListQuery,
  RecommendationPage,
  TransitionRequest,
} from '../shared/dto/recommendations.dto.js';
import { ApiEndpoint, ApiRoles, textBody } from './openapi.js';
import { uuidParam } from '../shared/validation.js';

@ApiTags('recommendations')
@Controller()
export class RecommendationsController {
  constructor(private readonly recommendations: RecommendationsService) {}

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('List the recommendations the caller may see; most overdue first with overdue=true', {
    status: 200,
    body: RecommendationPage,
    errors: [400],
  })
  @Get('recommendations')
  list(@CurrentActor() actor: Actor, @Query() query: RecommendationListQuery) {
    const { limit, cursor, ...filter } = query;
    return this.recommendations.list(actor, filter, { limit, cursor });
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("The list's rows and filters as a streamed, spreadsheet-safe CSV (every page, not one)", {
    status: 200,
    body: textBody('text/csv', 'a header row, then one row per recommendation'),
    errors: [400],
  })
  @Get('recommendations.csv')
  async export(
    @CurrentActor() actor: Actor,
    @Query() query: RecommendationListQuery,
    @Res() res: Response,
  ): Promise<void> {
    const { limit: _limit, cursor: _cursor, ...filter } = query;
    await sendCsv(
      res,
      'recommendations.csv',
      csvHeader(RECOMMENDATION_CSV_COLUMNS),
      csvRows(RECOMMENDATION_CSV_COLUMNS, this.recommendations.pages(actor, filter)),
    );
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('One recommendation with its evidence and the start of its history', {
    status: 200,
    body: RecommendationDetailResponse,
    errors: [400, 404],
  })
  @Get('recommendations/:id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.recommendations.get(actor, id);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("A recommendation's history, oldest first, a page at a time", {
    status: 200,
    body: HistoryPage,
    errors: [400, 404],
  })
  @Get('recommendations/:id/history')
  history(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Query() query: PageQuery) {
    return this.recommendations.history(actor, id, query);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('Take a workflow action (the transition table decides who, from which state, with what payload)', {
    status: 200,
    body: RecommendationDetailResponse,
    description: 'The recommendation as it now is',
    errors: [400, 404, 409],
  })
  @Post('recommendations/:id/transitions')
  @HttpCode(200)
  transition(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: TransitionRequest) {
    return this.recommendations.transition(actor, id, body);
  }
}
