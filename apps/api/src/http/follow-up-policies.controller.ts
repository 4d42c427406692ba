// /follow-up-policies: the deadlines each inspection programme gives (six weeks and six months without one).
import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PoliciesService } from '#application';
import { Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import {
  CreatePolicyRequest,
  FollowUpPoliciesResponse,
  FollowUpPolicyResponse,
} from '../shared/dto/follow-up-policies.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';

@ApiTags('follow-up-policies')
@Controller('follow-up-policies')
export class FollowUpPoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @ApiRoles(Role.Admin, Role.Inspector, Role.Manager)
  @ApiEndpoint("The default policy and every programme's own", { status: 200, body: FollowUpPoliciesResponse })
  @Get()
  list() {
    return this.policies.list();
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint('Give an inspection programme its own follow-up policy', {
    status: 201,
    body: FollowUpPolicyResponse,
    errors: [400, 409],
  })
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreatePolicyRequest) {
    return this.policies.create(actor, body);
  }
}
