// /inspections: inspection reports with their recommendations, created from JSON or a CSV file, and their dates.
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { InspectionPublishing, InspectionsService } from '#application';
import { ALL_ROLES, Role, invalidInput, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import {
  CreateInspectionRequest,
  ImportInspectionQuery,
  InspectionDetailResponse,
  InspectionListQuery,
  InspectionPage,
  PublishInspectionRequest,
  UpdateInspectionRequest,
} from '../shared/dto/inspections.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';
import { CsvBody } from '../shared/request-body/csv-body.js';
import { uuidParam } from '../shared/validation.js';

/** The largest CSV file POST /inspections/import reads (a 2,000-row report is about 1 MB). */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

@ApiTags('inspections')
@Controller('inspections')
export class InspectionsController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly publishing: InspectionPublishing,
  ) {}

  @ApiRoles(Role.Admin, Role.Inspector)
  @ApiEndpoint(
    'Create an inspection with its recommendations; its deadlines are derived and their notices planned (unless created as a draft)',
    {
      status: 201,
      body: InspectionDetailResponse,
      errors: [400, 409],
    },
  )
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateInspectionRequest) {
    return this.inspections.create(actor, body);
  }

  @ApiRoles(Role.Admin, Role.Inspector)
  @ApiEndpoint(
    'Create a draft inspection from a CSV file of its recommendations, with its fields as query parameters (draft=false publishes it at once)',
    {
      status: 201,
      body: InspectionDetailResponse,
      errors: [400, 409, 413, 415],
    },
  )
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      description: 'columns reference, text, and optionally timeframe, due date, priority, area; a header row',
    },
  })
  @CsvBody(MAX_IMPORT_BYTES)
  @Post('import')
  import(@CurrentActor() actor: Actor, @Query() query: ImportInspectionQuery, @Req() req: Request) {
    if (!Buffer.isBuffer(req.body)) throw invalidInput('the body must be a CSV file sent as text/csv');
    return this.inspections.importCsv(actor, query, req.body);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('List the inspections the caller may see, newest first', {
    status: 200,
    body: InspectionPage,
    errors: [400],
  })
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: InspectionListQuery) {
    const { organisationId, ...page } = query;
    return this.inspections.list(actor, { organisationId }, page);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('One inspection with every recommendation', {
    status: 200,
    body: InspectionDetailResponse,
    errors: [400, 404],
  })
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.inspections.get(actor, id);
  }

  @ApiRoles(Role.Admin, Role.Inspector)
  @ApiEndpoint("Change an inspection's dates or title; every deadline derived from a changed date is recomputed", {
    status: 200,
    body: InspectionDetailResponse,
    errors: [400, 404, 409],
  })
  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: UpdateInspectionRequest) {
    return this.inspections.update(actor, id, body);
  }

  @ApiRoles(Role.Admin, Role.Inspector)
  @ApiEndpoint(
    'Publish a draft inspection: its force sees it, its notifications are planned, it goes on the register (409 once published)',
    {
      status: 200,
      body: InspectionDetailResponse,
      errors: [400, 404, 409],
    },
  )
  @HttpCode(200)
  @Post(':id/publish')
  async publish(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Body() body: PublishInspectionRequest,
  ) {
    await this.publishing.publish(actor, id, body.version);
    return this.inspections.get(actor, id);
  }
}
