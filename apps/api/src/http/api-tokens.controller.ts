// Personal API tokens: a person's own (/users/me/api-tokens), an administrator's view of anyone's, and which roles may
// have them (/api-token-settings).
import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiTokensService, UsersService } from '#application';
import { ALL_ROLES, Role, type Actor } from '#domain';
import { CurrentActor, type AuthenticatedRequest } from './actor.decorator.js';
import {
  ApiTokenList,
  ApiTokenSettingsResponse,
  CreateApiTokenRequest,
  CreatedApiTokenResponse,
  UpdateApiTokenSettingsRequest,
} from '../shared/dto/api-tokens.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';
import { uuidParam } from '../shared/validation.js';

@ApiTags('api tokens')
@Controller()
export class ApiTokensController {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly users: UsersService,
  ) {}

  @ApiRoles(Role.Admin)
  @ApiEndpoint('The roles whose people may make and use personal API tokens', {
    status: 200,
    body: ApiTokenSettingsResponse,
  })
  @Get('api-token-settings')
  async settings() {
    const { allowedRoles, version } = await this.tokens.settings();
    return { allowedRoles, version };
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint("Choose the roles allowed personal API tokens; a role taken off stops its people's tokens at once", {
    status: 200,
    body: ApiTokenSettingsResponse,
    errors: [400, 409],
  })
  @Put('api-token-settings')
  async saveSettings(@CurrentActor() actor: Actor, @Body() body: UpdateApiTokenSettingsRequest) {
    const { allowedRoles, version } = await this.tokens.saveSettings(actor, body);
    return { allowedRoles, version };
  }

  // The caller's own, declared before /users/:id/…: `me` is not a user id.
  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("The caller's personal API tokens (never the tokens themselves)", { status: 200, body: ApiTokenList })
  @Get('users/me/api-tokens')
  async mine(@CurrentActor() actor: Actor) {
    return { items: await this.tokens.list(actor.id) };
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint(
    'Make a personal API token for the caller, if their role is allowed them; the token is in this answer only',
    {
      status: 201,
      body: CreatedApiTokenResponse,
      errors: [400],
    },
  )
  @Post('users/me/api-tokens')
  @HttpCode(201)
  make(@CurrentActor() actor: Actor, @Body() body: CreateApiTokenRequest, @Req() req: AuthenticatedRequest) {
    if (req.apiToken)
      throw new ForbiddenException(
        'an API token cannot make another: sign in (POST /auth/login) or use your account page',
      );
    return this.tokens.make(actor, body);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("Revoke one of the caller's API tokens: it stops working at once", { status: 204, errors: [400, 404] })
  @Delete('users/me/api-tokens/:tokenId')
  @HttpCode(204)
  async revokeMine(@CurrentActor() actor: Actor, @Param('tokenId', uuidParam()) tokenId: string): Promise<void> {
    await this.tokens.revoke(actor, actor.id, tokenId);
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint("A person's personal API tokens", { status: 200, body: ApiTokenList, errors: [400, 404] })
  @Get('users/:id/api-tokens')
  async ofUser(@Param('id', uuidParam()) id: string) {
    await this.users.view(id);
    return { items: await this.tokens.list(id) };
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint("Revoke a person's API token: it stops working at once", { status: 204, errors: [400, 404] })
  @Delete('users/:id/api-tokens/:tokenId')
  @HttpCode(204)
  async revoke(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param('tokenId', uuidParam()) tokenId: string,
  ): Promise<void> {
    await this.tokens.revoke(actor, id, tokenId);
  }
}
