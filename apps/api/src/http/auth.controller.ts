import { Body, Controller, Get, HttpCode, Ip, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { JwtService } from '@nestjs/jwt';
import { UsersService } from '#application';
import { Public, Roles } from '#auth';
import { ALL_ROLES, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { LoginRequest, UpdatePreferencesRequest } from './dto/auth.dto.js';
import { LoginService } from './login.service.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly logins: LoginService,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Ip() ip: string) {
    const user = await this.logins.login(body.email, body.password, ip);
    // `ep`: the sign-out epoch; POST /auth/logout bumps it, which ends this token and every other.
    return { accessToken: await this.jwt.signAsync({ sub: user.id, role: user.role, ep: await this.users.tokenEpoch(user.id) }), user };
  }

  /** Ends every API token of the caller (on every device); the next request with one of them is a 401. */
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.users.endTokens(actor);
  }

  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @Get('users/me')
  me(@CurrentActor() actor: Actor) {
    return this.users.view(actor.id);
  }

  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @Patch('users/me')
  updateMe(@CurrentActor() actor: Actor, @Body() body: UpdatePreferencesRequest) {
    return this.users.updatePreferences(actor, body);
  }
}
