import { SetMetadata } from '@nestjs/common';
import type { Role } from '#domain';

export const ACCESS_METADATA = 'followup:access';

/** Every route declares who may call it; a route without a declaration is refused (deny by default). */
export type AccessRule = { kind: 'public' } | { kind: 'roles'; roles: readonly Role[] };

export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies AccessRule);
