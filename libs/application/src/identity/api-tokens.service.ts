// Personal API tokens: which roles may have them (an administrator's setting), making one (shown once), listing,
// revoking, and the look-up behind each request.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import { hashApiToken, mintApiToken, API_TOKEN } from '#auth';
import {
  ALL_ROLES,
  assertVersion,
  DomainError,
  DomainErrorCode,
  invalidInput,
  LONDON_ZONE,
  notFound,
  type Actor,
  type Role,
} from '#domain';
import { Storage, type ApiTokenScope, type ApiTokenSummary } from '#persistence';
import { CLOCK, type Clock } from '../tokens.js';

export const API_TOKEN_SCOPES: readonly ApiTokenScope[] = ['read-only', 'read-write'];
export type { ApiTokenScope, ApiTokenSummary };

export interface ApiTokenSettingsView {
  allowedRoles: Role[];
  version: number;
  updatedAt: Date;
}

/** The caller a personal token names, with what the token may do. */
export interface ApiTokenCaller {
  actor: Actor;
  tokenId: string;
  scope: ApiTokenScope;
}

/** last_used_at moves at most this often per token, so a busy client does not write on every request. */
export const LAST_USED_THROTTLE_SECONDS = 60;
const MAX_NAME = 100;

const unauthenticated = (message: string) => new DomainError(DomainErrorCode.Unauthenticated, message);

@Injectable()
export class ApiTokensService {
  private readonly logger = new Logger(ApiTokensService.name);
  /** When this process last marked each token used: most requests then skip even the conditional UPDATE. */
  private readonly marked = new Map<string, number>();

  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async settings(): Promise<ApiTokenSettingsView> {
    const { allowedRoles, version, updatedAt } = await this.storage.pool.apiTokens.settings();
    return { allowedRoles: ALL_ROLES.filter((r) => allowedRoles.includes(r)), version, updatedAt };
  }

  async saveSettings(actor: Actor, input: { allowedRoles: Role[]; version: number }): Promise<ApiTokenSettingsView> {
    const allowedRoles = ALL_ROLES.filter((r) => input.allowedRoles.includes(r));
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      const before = await tx.apiTokens.settings();
      assertVersion(before.version, input.version);
      if (!(await tx.apiTokens.saveSettings(allowedRoles, input.version, now)))
        assertVersion(before.version + 1, input.version);
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'api_token_settings',
        entityId: before.id,
        action: 'api_tokens.roles_changed',
        changes: { allowedRoles: { from: ALL_ROLES.filter((r) => before.allowedRoles.includes(r)), to: allowedRoles } },
      });
    });
    return this.settings();
  }

  async roleAllowed(role: Role): Promise<boolean> {
    return (await this.storage.pool.apiTokens.settings()).allowedRoles.includes(role);
  }

  /** Makes a token for the caller; the token itself is in the answer only (shown once). */
  async make(
    actor: Actor,
    input: { name: string; scope: ApiTokenScope; expiresOn?: string | null },
  ): Promise<{ token: string; apiToken: ApiTokenSummary }> {
    const name = input.name.trim();
    const problems: string[] = [];
    if (name === '') problems.push('name must not be empty');
    if (name.length > MAX_NAME) problems.push(`name must be at most ${MAX_NAME} characters`);
    if (!API_TOKEN_SCOPES.includes(input.scope)) problems.push(`scope must be one of ${API_TOKEN_SCOPES.join(', ')}`);
    const expiresAt = input.expiresOn ? this.endOfLondonDay(input.expiresOn) : null;
    if (input.expiresOn && !expiresAt) problems.push('expiresOn must be a date (YYYY-MM-DD) from today onwards');
    if (problems.length > 0) throw invalidInput(...problems);
    if (!(await this.roleAllowed(actor.role))) throw this.notAllowed(actor.role);
    const { token, hash } = mintApiToken();
    const now = this.clock.now();
    const apiToken = await this.storage.transaction(async (tx) => {
      const user = await tx.users.lockForUpdate(actor.id);
      if (!user) throw notFound('user');
      const made = await tx.apiTokens.add({
        userId: actor.id,
        name,
        scope: input.scope,
        tokenHash: hash,
        tokenEpoch: user.tokenEpoch,
        createdAt: now,
        expiresAt,
      });
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'api_token',
        entityId: made.id,
        action: 'api_token.created',
        changes: { userId: actor.id, name, scope: input.scope, expiresAt: expiresAt?.toISOString() ?? null },
      });
      return made;
    });
    return { token, apiToken };
  }

  /** The person's tokens that have not been revoked or ended (expired ones included, marked by their date). */
  list(userId: string): Promise<ApiTokenSummary[]> {
    return this.storage.pool.apiTokens.listLive(userId);
  }

  /** Revokes one of `ownerId`'s tokens: the owner themselves, or an administrator. 404 when there is no such token. */
  async revoke(actor: Actor, ownerId: string, tokenId: string): Promise<void> {
    if (actor.id !== ownerId && actor.role !== 'admin') throw notFound('API token');
    const now = this.clock.now();
    await this.storage.transaction(async (tx) => {
      const revoked = await tx.apiTokens.revoke(ownerId, tokenId, actor.id, now);
      if (!revoked) throw notFound('API token');
      await tx.audit.record(now, {
        actorId: actor.id,
        entityType: 'api_token',
        entityId: tokenId,
        action: 'api_token.revoked',
        changes: { userId: ownerId, name: revoked.name, scope: revoked.scope, byOwner: actor.id === ownerId },
      });
    });
  }

  /**
   * The caller a personal token names, as of now: its owner's current role and forces. Refused (401) when the
   * token is unknown, revoked, expired, ended by a password set or reset, a two-factor reset or sign-out, when
   * its owner is deactivated, or when their role is no longer allowed tokens.
   */
  async authenticate(token: string): Promise<ApiTokenCaller> {
    if (!API_TOKEN.test(token)) throw unauthenticated('the API token is invalid or has been revoked');
    const row = await this.storage.pool.apiTokens.holder(hashApiToken(token));
    if (!row) throw unauthenticated('the API token is invalid or has been revoked');
    const now = this.clock.now();
    if (!row.current)
      throw unauthenticated(
        'the API token has ended: its owner was deactivated, set a new password, or signed out of the API since it was made',
      );
    if (row.expiresAt && row.expiresAt <= now)
      throw unauthenticated('the API token has expired: make a new one on your account page');
    if (!row.roleAllowed)
      throw unauthenticated(`API tokens are not allowed for the role ${row.role}: ask an administrator`);
    this.markUsed(row.tokenId, row.lastUsedAt, now);
    return {
      actor: {
        id: row.userId,
        role: row.role,
        organisationIds: row.organisationIds,
        allOrganisations: row.allOrganisations,
      },
      tokenId: row.tokenId,
      scope: row.scope,
    };
  }

  /** At most once a minute per token, and never in the request's way: the UPDATE is not awaited. */
  private markUsed(tokenId: string, lastUsedAt: Date | null, now: Date): void {
    const throttleMs = LAST_USED_THROTTLE_SECONDS * 1000;
    const last = Math.max(lastUsedAt?.getTime() ?? 0, this.marked.get(tokenId) ?? 0);
    if (now.getTime() - last < throttleMs) return;
    this.marked.set(tokenId, now.getTime());
    if (this.marked.size > 10_000) this.marked.clear();
    this.storage.pool.apiTokens.markUsed(tokenId, now, LAST_USED_THROTTLE_SECONDS).catch((error: unknown) => {
      this.logger.warn(
        `could not record when an API token was last used: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  private notAllowed(role: Role): DomainError {
    return new DomainError(
      DomainErrorCode.Forbidden,
      `API tokens are not allowed for the role ${role}: an administrator can allow them`,
    );
  }

  /**
   * The instant a token made to last until `date` (YYYY-MM-DD, London) stops: midnight at the end of that day; null for
   * a bad or past date.
   */
  private endOfLondonDay(date: string): Date | null {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
    const day = DateTime.fromISO(date, { zone: LONDON_ZONE });
    if (!day.isValid) return null;
    const end = day.plus({ days: 1 }).startOf('day');
    return end.toMillis() <= this.clock.now().getTime() ? null : end.toJSDate();
  }
}
