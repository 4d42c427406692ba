// The person a bearer token names: shared by the API's guard and the CSV downloads that accept a token.
import { UnauthorizedException } from '@nestjs/common';
import type { JwtService } from '@nestjs/jwt';
import type { UsersService } from '#application';
import type { Actor } from '#domain';

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function bearerTokenOf(header: unknown): string | null {
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

/** The current user a token names; 401 for a bad or expired token, a deactivated user or one signed out since. */
export async function bearerActor(jwt: JwtService, users: UsersService, token: string): Promise<Actor> {
  let claims: { sub: string; ep?: number };
  try {
    claims = await jwt.verifyAsync<{ sub: string; ep?: number }>(token);
  } catch {
    throw new UnauthorizedException('the token is invalid or has expired');
  }
  // Tokens from before sign-out epochs existed carry none: they count as epoch 0.
  const actor = await users.findActor(String(claims.sub), typeof claims.ep === 'number' ? claims.ep : 0);
  if (!actor) throw new UnauthorizedException('the token names no current user, or its user has signed out since');
  return actor;
}
