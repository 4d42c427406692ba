// The signed-in person of a page request, as PageAccessGuard established it.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '#domain';

export const PageActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  if (!actor) throw new Error('PageActor used on a page that does not require sign-in');
  return actor;
});
