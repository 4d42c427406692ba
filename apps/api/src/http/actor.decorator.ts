// @CurrentActor(): the caller the access guard established.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '#domain';

export interface AuthenticatedRequest {
  actor?: Actor;
  /** Set when the caller used a personal API token (not a JWT). */
  apiToken?: { id: string; scope: 'read-only' | 'read-write' };
  headers: Record<string, string | string[] | undefined>;
}

/** The caller, as the access guard established it. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a route without an authenticated caller');
  return actor;
});
