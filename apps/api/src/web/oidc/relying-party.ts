// This service as an OpenID Connect relying party (openid-client 6, certified): discovery, the authorization code flow
// with PKCE, state and nonce, sign-out at the provider, and back-channel logout tokens.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { APP_CONFIG, type AppConfig, type OidcConfig } from '#config';
import { groupsFromClaim } from '#domain';
import type { VerifiedIdentity } from '#application';
import type { OidcTransaction } from './oidc-transaction.js';

export const CALLBACK_PATH = '/sign-in/oidc/callback';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/**
 * What the relying party asks for: the person's id, email, name, and their groups (providers that need no scope for it
 * ignore it).
 */
const SCOPE = 'openid email profile groups';

/**
 * The sign-in could not be completed (a wrong state or nonce, a token from another issuer or audience, an error from
 * the provider): nobody is signed in.
 */
export class SingleSignOnFailed extends Error {}

/** The provider's metadata could not be fetched (it is down or unreachable): try again later. */
export class ProviderUnavailable extends Error {}

@Injectable()
export class RelyingParty {
  private readonly logger = new Logger('single-sign-on');
  private discovered: Promise<client.Configuration> | null = null;
  private jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.oidc !== null;
  }

  private get settings(): OidcConfig {
    if (!this.config.oidc) throw new SingleSignOnFailed('single sign-on is not configured');
    return this.config.oidc;
  }

  get redirectUri(): string {
    return new URL(CALLBACK_PATH, this.config.env.APP_BASE_URL).href;
  }

  /** The provider's metadata, fetched once per process (and again after a failure). */
  private configuration(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, allowHttp } = this.settings;
    this.discovered ??= client
      .discovery(
        issuer,
        clientId,
        undefined,
        client.ClientSecretBasic(clientSecret),
        allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        this.discovered = null;
        throw error;
      });
    return this.discovered;
  }

  /** Where to send the browser, and the secrets to keep (sealed, in a short-lived cookie) until it comes back. */
  async begin(returnTo: string): Promise<{ url: string; transaction: OidcTransaction }> {
    const config = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const transaction: OidcTransaction = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      returnTo,
      startedAt: Date.now(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { url: url.href, transaction };
  }

  /**
   * Exchanges the code for tokens and checks them (openid-client: the ID token's signature, issuer, audience,
   * expiry and nonce, the state, the PKCE verifier, the response's `iss`). The groups come from the ID token,
   * or from the UserInfo endpoint when the ID token leaves them out.
   */
  async complete(
    query: string,
    transaction: OidcTransaction,
  ): Promise<{ identity: VerifiedIdentity; idToken: string }> {
    const config = await this.configuration().catch((error: Error) => {
      throw new ProviderUnavailable(error.message);
    });
    const current = new URL(`${CALLBACK_PATH}${query}`, this.config.env.APP_BASE_URL);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      this.logger.warn(`single sign-on refused: ${(error as Error).message}`);
      throw new SingleSignOnFailed((error as Error).message);
    }
    const claims = tokens.claims()!;
    const { groupsClaim } = this.settings;
    let groups: unknown = claims[groupsClaim];
    let email: unknown = claims.email;
    let name: unknown = claims.name;
    if ((groups === undefined || email === undefined) && config.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub).catch((error: Error) => {
        throw new SingleSignOnFailed(`UserInfo: ${error.message}`);
      });
      groups ??= info[groupsClaim];
      email ??= info.email;
      name ??= info.name;
    }
    return {
      identity: {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof email === 'string' ? email : null,
        name: typeof name === 'string' ? name : null,
        groups: groupsFromClaim(groups),
      },
      idToken: tokens.id_token!,
    };
  }

  /** The provider's end-session address for RP-initiated logout, or null when it has none. */
  async endSessionUrl(idToken: string, postLogoutRedirect: string): Promise<string | null> {
    const config = await this.configuration().catch(() => null);
    if (!config?.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirect })
      .href;
  }

  /**
   * Checks a back-channel logout token (OpenID Connect Back-Channel Logout 1.0, section 2.6): signed by the
   * provider's keys, this issuer, this client as audience, recent, the logout event, a subject, and no nonce.
   * Returns the issuer and subject whose sessions end.
   */
  async verifyLogoutToken(token: string): Promise<{ issuer: string; subject: string }> {
    const config = await this.configuration().catch((error: Error) => {
      throw new ProviderUnavailable(error.message);
    });
    const metadata = config.serverMetadata();
    if (!metadata.jwks_uri) throw new SingleSignOnFailed('the provider publishes no keys');
    this.jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri));
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: metadata.issuer,
        audience: this.settings.clientId,
        maxTokenAge: '5m',
        requiredClaims: ['iat', 'jti', 'events'],
      });
      const events = payload.events as Record<string, unknown> | undefined;
      if (typeof events !== 'object' || events === null || typeof events[BACKCHANNEL_EVENT] !== 'object')
        throw new Error('not a logout token: no back-channel logout event');
      if ('nonce' in payload) throw new Error('a logout token carries no nonce');
      if (typeof payload.sub !== 'string')
        throw new Error('the logout token names no subject (only subjects are handled)');
      return { issuer: metadata.issuer, subject: payload.sub };
    } catch (error) {
      throw new SingleSignOnFailed((error as Error).message);
    }
  }
}
