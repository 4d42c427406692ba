// /organisations: the forces, as the caller may see them.
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { OrganisationsService } from '#application';
import { ALL_ROLES, Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { PageQuery } from '../shared/dto/common.dto.js';
import { CreateOrganisationRequest, OrganisationPage, OrganisationResponse } from '../shared/dto/organisations.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';
import { uuidParam } from '../shared/validation.js';

@ApiTags('organisations')
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @ApiRoles(Role.Admin)
  @ApiEndpoint('Create an organisation', { status: 201, body: OrganisationResponse, errors: [400, 409] })
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrganisationRequest) {
    return this.organisations.create(actor, body);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('List the organisations the caller may see', { status: 200, body: OrganisationPage, errors: [400] })
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.organisations.list(actor, query);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('One organisation', { status: 200, body: OrganisationResponse, errors: [400, 404] })
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.organisations.get(actor, id);
  }
}
