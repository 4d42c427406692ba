// /auth/forgotten-password: asks for a password-reset link; the same answer, at once, whether or not the address has an
// account.
import { Body, Controller, HttpCode, Inject, Ip, Logger, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccountLinksService } from '#application';
import { ForgottenPasswordRequest } from '../shared/dto/auth-recovery.dto.js';
import { ApiEndpoint, ApiPublic } from './openapi.js';
import { requestResetInBackground } from '../shared/password-reset.js';
import { RESET_LIMITER, type ResetLimiter } from '../shared/reset-limiter.js';

@ApiTags('auth')
@Controller('auth')
export class AuthRecoveryController {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly links: AccountLinksService,
    @Inject(RESET_LIMITER) private readonly limiter: ResetLimiter,
  ) {}

  @ApiPublic()
  @ApiEndpoint(
    'Ask for a password-reset email: 202 whatever the address, so the answer tells nobody which addresses have accounts',
    {
      status: 202,
      errors: [400, 429],
    },
  )
  @Post('forgotten-password')
  @HttpCode(202)
  async forgottenPassword(@Body() body: ForgottenPasswordRequest, @Ip() ip: string): Promise<Record<string, never>> {
    await this.limiter.consume(ip, body.email);
    requestResetInBackground(this.links, body.email, this.logger);
    return {};
  }
}
