import { Body, Controller, Get, HttpCode, Inject, Ip, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { JwtService } from '@nestjs/jwt';
import { UsersService } from '#application';
import { Public, Roles } from '#auth';
import { ALL_ROLES, DomainError, DomainErrorCode, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { LoginRequest, UpdatePreferencesRequest } from './dto/auth.dto.js';
import { LOGIN_LIMITER, type LoginLimiter } from './login-limiter.js';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(LOGIN_LIMITER) private readonly limiter: LoginLimiter,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Ip() ip: string) {
    const key = `${ip}|${body.email.trim().toLowerCase()}`;
    await this.limiter.assertAllowed(key);
    try {
      const user = await this.users.authenticate(body.email, body.password);
      await this.limiter.reset(key);
      return { accessToken: await this.jwt.signAsync({ sub: user.id, role: user.role }), user };
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.Unauthenticated) await this.limiter.recordFailure(key);
      throw error;
    }
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
