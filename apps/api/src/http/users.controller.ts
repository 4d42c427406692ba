// /users: people (administrators), and the caller's own record, preferences and calendar link.
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccountLinksService, CalendarService, UsersService } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { ALL_ROLES, Role, type Actor } from '#domain';
import { calendarFeedUrl } from '../app-links.js';
import { CurrentActor } from './actor.decorator.js';
import { PageQuery } from '../shared/dto/common.dto.js';
import {
  CalendarTokenResponse,
  CreateUserRequest,
  UpdatePreferencesRequest,
  UpdateUserRequest,
  UserPage,
  UserResponse,
} from '../shared/dto/users.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';
import { uuidParam } from '../shared/validation.js';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly links: AccountLinksService,
  ) {}

  @ApiRoles(Role.Admin)
  @ApiEndpoint(
    'Create a user (never answered with the password); without a password, the person is emailed an invitation to choose one',
    {
      status: 201,
      body: UserResponse,
      errors: [400, 409],
    },
  )
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateUserRequest) {
    const { password, ...rest } = body;
    return password === undefined ? this.links.invite(actor, rest) : this.users.create(actor, { ...rest, password });
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint('Send a new invitation to someone who has not chosen a password yet; earlier links stop working', {
    status: 202,
    errors: [400, 404, 409],
  })
  @Post(':id/invitation')
  @HttpCode(202)
  async resendInvitation(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
  ): Promise<Record<string, never>> {
    await this.links.resendInvitation(actor, id);
    return {};
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint("Revoke a person's pending invitation: its link stops working", { status: 204, errors: [400, 404, 409] })
  @Delete(':id/invitation')
  @HttpCode(204)
  async revokeInvitation(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string): Promise<void> {
    await this.links.revokeInvitation(actor, id);
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint('List users, by email', { status: 200, body: UserPage, errors: [400] })
  @Get()
  list(@Query() query: PageQuery) {
    return this.users.list(query);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('The caller', { status: 200, body: UserResponse })
  @Get('me')
  me(@CurrentActor() actor: Actor) {
    return this.users.view(actor.id);
  }

  // Declared before PATCH /users/:id: Express tries routes in order, and `me` is not a user id.
  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("Change the caller's reminder delivery (immediate or daily digest)", {
    status: 200,
    body: UserResponse,
    errors: [400, 409],
  })
  @Patch('me')
  updateMe(@CurrentActor() actor: Actor, @Body() body: UpdatePreferencesRequest) {
    return this.users.updatePreferences(actor, body);
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("Replace the caller's calendar feed link; the old one answers 404 from now on", {
    status: 201,
    body: CalendarTokenResponse,
  })
  @Post('me/calendar-token')
  @HttpCode(201)
  async replaceCalendarToken(@CurrentActor() actor: Actor) {
    const { token } = await this.calendar.replaceToken(actor);
    return { token, url: calendarFeedUrl(this.config, token) };
  }

  @ApiRoles(Role.Admin)
  @ApiEndpoint('Change a person: name, role, organisations, or deactivate them (active: false)', {
    status: 200,
    body: UserResponse,
    errors: [400, 404, 409],
  })
  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: UpdateUserRequest) {
    return this.users.update(actor, id, body);
  }
}
