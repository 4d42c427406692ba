// The access declarations every route carries: @Public, @Roles, @Page, @SignedOutPage.
import { SetMetadata } from '@nestjs/common';
import type { Role } from '#domain';

export const ACCESS_METADATA = 'followup:access';

/**
 * Every route declares who may call it; a route without a declaration is refused (deny by default).
 * `public` and `roles` are API routes (bearer token); `page` routes are web pages, authenticated by the
 * session cookie only, never by a token, with CSRF checked on every form post.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'roles'; roles: readonly Role[] }
  | { kind: 'page'; signIn: 'required'; roles: readonly Role[] }
  | { kind: 'page'; signIn: 'none' };

export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'roles', roles } satisfies AccessRule);

/** A web page for signed-in people with one of `roles`. */
export const Page = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'page', signIn: 'required', roles } satisfies AccessRule);

/** A web page anyone may open (the sign-in form); its forms are still CSRF-checked. */
export const SignedOutPage = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'page', signIn: 'none' } satisfies AccessRule);
