import { Body, Controller, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { InspectionsService } from '#application';
import { Roles } from '#auth';
import { ALL_ROLES, Role, invalidInput, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { CreateInspectionRequest, ImportInspectionQuery, InspectionListQuery, UpdateInspectionRequest } from './dto/inspection.dto.js';
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

  /** The same as POST /inspections, with the recommendations as a CSV body (`text/csv`) and the inspection's fields as query parameters. */
  @Roles(Role.Admin, Role.Inspector)
  @Post('import')
  import(@CurrentActor() actor: Actor, @Query() query: ImportInspectionQuery, @Req() req: Request) {
    if (!Buffer.isBuffer(req.body)) throw invalidInput('the body must be a CSV file sent as text/csv');
    return this.inspections.importCsv(actor, query, req.body);
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
