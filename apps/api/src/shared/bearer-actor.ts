// The person a bearer token names, JWT or personal API token: shared by the API's guard, the CSV downloads and the API
// docs.
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiTokensService, UsersService, type ApiTokenScope } from '#application';
import { API_TOKEN_PREFIX } from '#auth';
import { DomainError, type Actor } from '#domain';

/** The token of an `Authorization: Bearer …` header, or null when there is none. */
export function bearerTokenOf(header: unknown): string | null {
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

/** Who a bearer token names; `apiToken` when it is a personal API token, with what it may do. */
export interface BearerCaller {
  actor: Actor;
  apiToken?: { id: string; scope: ApiTokenScope };
}

@Injectable()
export class BearerAuth {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  /**
   * The current user a token names; 401 for a bad, expired, revoked or ended token, a deactivated user or one signed
   * out since.
   */
  async caller(token: string): Promise<BearerCaller> {
    if (token.startsWith(API_TOKEN_PREFIX)) {
      try {
        const { actor, tokenId, scope } = await this.apiTokens.authenticate(token);
        return { actor, apiToken: { id: tokenId, scope } };
      } catch (error) {
        if (error instanceof DomainError) throw new UnauthorizedException(error.message);
        throw error;
      }
    }
    return { actor: await this.jwtActor(token) };
  }

  /** The person, or null for any token that does not name a current one. */
  async actorOrNull(token: string): Promise<Actor | null> {
    return (await this.caller(token).catch(() => null))?.actor ?? null;
  }

  private async jwtActor(token: string): Promise<Actor> {
    let claims: { sub: string; ep?: number };
    try {
      claims = await this.jwt.verifyAsync<{ sub: string; ep?: number }>(token);
    } catch {
      throw new UnauthorizedException('the token is invalid or has expired');
    }
    // Tokens from before sign-out epochs existed carry none: they count as epoch 0.
    const actor = await this.users.findActor(String(claims.sub), typeof claims.ep === 'number' ? claims.ep : 0);
    if (!actor) throw new UnauthorizedException('the token names no current user, or its user has signed out since');
    return actor;
  }
}
