// /auth: signing in for a bearer token, and signing out of every one.
import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiTags } from '@nestjs/swagger';
import { TwoFactorService, UsersService } from '#application';
import { ALL_ROLES, DomainError, DomainErrorCode, type Actor, type Role } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { LoginRequest, LoginResponse } from '../shared/dto/auth.dto.js';
import { LoginService } from '../shared/login.service.js';
import { ApiEndpoint, ApiPublic, ApiRoles } from './openapi.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly logins: LoginService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @ApiPublic()
  @ApiEndpoint('Sign in: a bearer token and the user', {
    status: 200,
    body: LoginResponse,
    errors: [400, 401, 403, 429],
  })
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginRequest, @Ip() ip: string) {
    const user = await this.logins.login(body.email, body.password, ip);
    // Someone with two-factor sign-in on also gives a code (each works once); the same answer for a missing or wrong
    // one.
    if (
      (await this.twoFactor.status(user.id, user.role as Role)).enabled &&
      !(body.code && (await this.twoFactor.verify(user.id, body.code)))
    ) {
      throw new DomainError(
        DomainErrorCode.Unauthenticated,
        'a security code from the authenticator app (or a recovery code) is required: send it as code',
      );
    }
    // `ep`: the sign-out epoch; POST /auth/logout bumps it, which ends this token and every other.
    return {
      accessToken: await this.jwt.signAsync({
        sub: user.id,
        role: user.role,
        ep: await this.users.tokenEpoch(user.id),
      }),
      user,
    };
  }

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint('Sign out: ends every API token of the caller, on every device', { status: 204 })
  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    await this.users.endTokens(actor);
  }
}
