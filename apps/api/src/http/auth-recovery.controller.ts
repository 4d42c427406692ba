// /auth/forgotten-password: asks for a password-reset link; the same answer, at once, whether or not the address has an account.
import { Body, Controller, HttpCode, Inject, Ip, Logger, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccountLinksService } from '#application';
import { ForgottenPasswordRequest } from './dto/auth-recovery.dto.js';
import { ApiEndpoint, ApiPublic } from './openapi.js';
import { RESET_LIMITER, type ResetLimiter } from './reset-limiter.js';

@ApiTags('auth')
@Controller('auth')
export class AuthRecoveryController {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly links: AccountLinksService,
    @Inject(RESET_LIMITER) private readonly limiter: ResetLimiter,
  ) {}

  @ApiPublic()
  @ApiEndpoint('Ask for a password-reset email: 202 whatever the address, so the answer tells nobody which addresses have accounts', {
    status: 202,
    errors: [400, 429],
  })
  @Post('forgotten-password')
  @HttpCode(202)
  async forgottenPassword(@Body() body: ForgottenPasswordRequest, @Ip() ip: string): Promise<Record<string, never>> {
    await this.limiter.consume(ip, body.email);
    requestResetInBackground(this.links, body.email, this.logger);
    return {};
  }
}

/**
 * The lookup and the link are made after the answer has gone, so that how long the answer takes cannot tell
 * whether the address has an account. A failure is logged (the person can ask again), never answered.
 */
export function requestResetInBackground(links: AccountLinksService, email: string, logger: Logger): void {
  setImmediate(() => {
    links.requestReset(email).catch((error: unknown) => logger.error({ err: error }, 'a password-reset request could not be recorded'));
  });
}
