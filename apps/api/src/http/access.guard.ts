// The API's global guard: deny by default, bearer token to actor, role check.
import { Injectable, type CanActivate, type ExecutionContext, ForbiddenException, UnauthorizedException, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { UsersService } from '#application';
import { ACCESS_METADATA, type AccessRule } from '#auth';
import type { Actor } from '#domain';
import type { AuthenticatedRequest } from './actor.decorator.js';
import { bearerActor } from './bearer-actor.js';

/**
 * Deny by default: a route must declare @Public() or @Roles(...). Organisation scoping happens in the
 * use cases, which answer 404 for what the caller may not see.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (!rule) {
      this.logger.error(`route ${context.getClass().name}.${context.getHandler().name} declares no access rule: refused`);
      throw new ForbiddenException('this route declares no access rule');
    }
    // Pages are authenticated by the session cookie in PageAccessGuard (also global); a token never opens a page.
    if (rule.kind === 'page') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (rule.kind === 'public') {
      // A public route may tell a signed-in caller more (GET /health, for an administrator); a bad token is anonymous.
      if (token) request.actor = (await this.actorFor(token).catch(() => null)) ?? undefined;
      return true;
    }
    if (!token) throw new UnauthorizedException('a bearer token is required');
    const actor = await this.actorFor(token);
    request.actor = actor;
    if (!rule.roles.includes(actor.role)) throw new ForbiddenException(`role ${actor.role} may not do this`);
    return true;
  }

  /** The current user a token names; 401 for a bad or expired token, a deactivated user or one signed out since. */
  private actorFor(token: string): Promise<Actor> {
    return bearerActor(this.jwt, this.users, token);
  }
}
