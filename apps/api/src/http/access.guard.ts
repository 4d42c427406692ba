// The API's global guard: deny by default, bearer token (JWT or personal API token) to actor, role check, read-only
// tokens kept to reads.
import {
  Injectable,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  UnauthorizedException,
  Logger,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ACCESS_METADATA, type AccessRule } from '#auth';
import type { AuthenticatedRequest } from './actor.decorator.js';
import { BearerAuth, bearerTokenOf } from '../shared/bearer-actor.js';

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Deny by default: a route must declare @Public() or @Roles(...). Organisation scoping happens in the
 * use cases, which answer 404 for what the caller may not see. A read-only personal API token may only read.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly bearer: BearerAuth,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) {
      this.logger.error(
        `route ${context.getClass().name}.${context.getHandler().name} declares no access rule: refused`,
      );
      throw new ForbiddenException('this route declares no access rule');
    }
    // Pages are authenticated by the session cookie in PageAccessGuard (also global); a token never opens a page.
    if (rule.kind === 'page') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { method: string }>();
    const token = bearerTokenOf(request.headers.authorization);
    if (rule.kind === 'public') {
      // A public route may tell a signed-in caller more (GET /health, for an administrator); a bad token is anonymous.
      if (token) request.actor = (await this.bearer.actorOrNull(token)) ?? undefined;
      return true;
    }
    if (!token) throw new UnauthorizedException('a bearer token is required');
    const { actor, apiToken } = await this.bearer.caller(token);
    request.actor = actor;
    request.apiToken = apiToken;
    if (!rule.roles.includes(actor.role)) throw new ForbiddenException(`role ${actor.role} may not do this`);
    if (apiToken?.scope === 'read-only' && !READ_METHODS.has(request.method)) {
      throw new ForbiddenException(
        'this API token is read-only: it may only read (GET); make a read-write token to change anything',
      );
    }
    return true;
  }
}
