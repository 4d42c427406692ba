// Every sign-in (API, queue dashboard, web form) through the login limit.
import { Inject, Injectable } from '@nestjs/common';
import { UsersService, type UserView } from '#application';
import { DomainError, DomainErrorCode } from '#domain';
import { loginFailures, loginLimited } from '#observability';
import { LOGIN_LIMITER, type LoginLimiter } from './login-limiter.js';

/**
 * Checks a person's credentials against the login limit. `POST /auth/login`, the queue dashboard's Basic
 * login and the web's sign-in form all come through here, so every attempt counts against the same limit
 * wherever it was made. The attempt is counted before the password is checked: at most the allowance of
 * attempts, however many arrive at once, ever reach argon2.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UsersService,
    @Inject(LOGIN_LIMITER) private readonly limiter: LoginLimiter,
  ) {}

  async login(email: string, password: string, clientAddress: string): Promise<UserView> {
    const attempt = { clientAddress, email };
    await this.limiter.consume(attempt).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === DomainErrorCode.RateLimited) loginLimited.inc();
      throw err;
    });
    const user = await this.users.authenticate(email, password).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === DomainErrorCode.Unauthenticated) loginFailures.inc();
      throw err;
    });
    await this.limiter.succeeded(attempt);
    return user;
  }
}
