import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { LedgerService, RecommendationsService } from '#application';
import { Roles } from '#auth';
import { ALL_ROLES, Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { PageQuery } from './dto/common.dto.js';
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
