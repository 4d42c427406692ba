import { Inject, Injectable } from '@nestjs/common';
import { UsersService, type UserView } from '#application';
import { DomainError, DomainErrorCode } from '#domain';
import { LOGIN_LIMITER, type LoginLimiter } from './login-limiter.js';

/**
 * Checks a person's credentials against the login limit. `POST /auth/login` and the web's sign-in form
 * both come through here, so every failed attempt counts against the same limit wherever it was made.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    @Inject(LOGIN_LIMITER) private readonly limiter: LoginLimiter,
  ) {}

  async login(email: string, password: string, clientAddress: string): Promise<UserView> {
    const key = `${clientAddress}|${email.trim().toLowerCase()}`;
    await this.limiter.assertAllowed(key);
    try {
      const user = await this.users.authenticate(email, password);
      await this.limiter.reset(key);
      return user;
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.Unauthenticated) await this.limiter.recordFailure(key);
      throw error;
    }
  }
}
