import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { OrganisationsService } from '#application';
import { Roles } from '#auth';
import { ALL_ROLES, Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { CreateOrganisationRequest } from './dto/auth.dto.js';
import { PageQuery } from './dto/common.dto.js';
import { uuidParam } from './validation.js';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Roles(Role.Admin)
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrganisationRequest) {
    return this.organisations.create(actor, body);
  }

  @Roles(...ALL_ROLES)
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.organisations.list(actor, query);
  }

  @Roles(...ALL_ROLES)
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.organisations.get(actor, id);
  }
}
