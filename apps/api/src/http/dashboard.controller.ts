// /dashboard: the oversight figures as JSON, for managers in their scope, inspectors and administrators.
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DashboardService } from '#application';
import { Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { DashboardQuery, DashboardResponse } from '../shared/dto/dashboard.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';

@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @ApiRoles(Role.Admin, Role.Manager, Role.Inspector)
  @ApiEndpoint('Counts now, ageing, the closure record of the period and the monthly open and overdue line', {
    status: 200,
    body: DashboardResponse,
    errors: [400],
  })
  @Get()
  figures(@CurrentActor() actor: Actor, @Query() query: DashboardQuery) {
    return this.dashboard.figures(actor, query);
  }
}
