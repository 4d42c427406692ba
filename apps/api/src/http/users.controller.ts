import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PoliciesService, UsersService } from '#application';
import { Roles } from '#auth';
import { Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { CreatePolicyRequest, CreateUserRequest, UpdateUserRequest } from './dto/auth.dto.js';
import { PageQuery } from './dto/common.dto.js';
import { uuidParam } from './validation.js';

@ApiTags('administration')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly policies: PoliciesService,
  ) {}

  @Roles(Role.Admin)
  @Post('users')
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserRequest) {
    return this.users.create(actor, body);
  }

  @Roles(Role.Admin)
  @Get('users')
  list(@Query() query: PageQuery) {
    return this.users.list(query);
  }

  @Roles(Role.Admin)
  @Patch('users/:id')
  update(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: UpdateUserRequest) {
    return this.users.update(actor, id, body);
  }

  @Roles(Role.Admin, Role.Inspector, Role.Manager)
  @Get('follow-up-policies')
  listPolicies() {
    return this.policies.list();
  }

  @Roles(Role.Admin)
  @Post('follow-up-policies')
  createPolicy(@CurrentActor() actor: Actor, @Body() body: CreatePolicyRequest) {
    return this.policies.create(actor, body);
  }
}
