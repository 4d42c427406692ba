import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InspectionsService } from '#application';
import { Roles } from '#auth';
import { ALL_ROLES, Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { CreateInspectionRequest, InspectionListQuery, UpdateInspectionRequest } from './dto/inspection.dto.js';
import { uuidParam } from './validation.js';

@ApiTags('inspections')
@ApiBearerAuth()
@Controller('inspections')
export class InspectionsController {
  constructor(private readonly inspections: InspectionsService) {}

  @Roles(Role.Admin, Role.Inspector)
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateInspectionRequest) {
    return this.inspections.create(actor, body);
  }

  @Roles(...ALL_ROLES)
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: InspectionListQuery) {
    const { organisationId, ...page } = query;
    return this.inspections.list(actor, { organisationId }, page);
  }

  @Roles(...ALL_ROLES)
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.inspections.get(actor, id);
  }

  @Roles(Role.Admin, Role.Inspector)
  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: UpdateInspectionRequest) {
    return this.inspections.update(actor, id, body);
  }
}
