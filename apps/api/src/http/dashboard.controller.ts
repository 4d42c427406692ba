// The oversight figures as JSON, for managers in their scope, inspectors and administrators.
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DashboardService } from '#application';
import { Roles } from '#auth';
import { Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { DashboardQuery } from './dto/records.dto.js';

@ApiTags('dashboard')
@ApiBearerAuth()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Roles(Role.Admin, Role.Manager, Role.Inspector)
  @Get()
  figures(@CurrentActor() actor: Actor, @Query() query: DashboardQuery) {
    return this.dashboard.figures(actor, query);
  }
}
