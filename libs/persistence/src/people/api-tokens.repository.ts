// Personal API tokens: making, the one-query look-up behind each request, listing, revoking, the throttled last-used
// mark, and the allowed roles.
import type { EntityManager } from 'typeorm';
import type { Role } from '#domain';
import { ApiTokenEntity, ApiTokenSettingsEntity, type ApiTokenScope } from '../entities/api-token.entity.js';

/**
 * What a request's token names, read in one query: the token, its owner's current role and forces, and why it may not
 * work.
 */
export interface ApiTokenHolderRow {
  tokenId: string;
  scope: ApiTokenScope;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  userId: string;
  role: Role;
  organisationIds: string[];
  allOrganisations: boolean;
  /**
   * The owner is active and the token's epoch is still theirs (no password set, two-factor reset or sign-out since).
   */
  current: boolean;
  /** The owner's role is among the allowed ones now. */
  roleAllowed: boolean;
}

/** A live token as its owner and administrators see it (never the hash). */
export interface ApiTokenSummary {
  id: string;
  name: string;
  scope: ApiTokenScope;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export class ApiTokensRepository {
  constructor(private readonly db: EntityManager) {}

  async add(token: {
    userId: string;
    name: string;
    scope: ApiTokenScope;
    tokenHash: string;
    tokenEpoch: number;
    createdAt: Date;
    expiresAt: Date | null;
  }): Promise<ApiTokenSummary> {
    const saved = await this.db.save(this.db.create(ApiTokenEntity, token));
    return {
      id: saved.id,
      name: saved.name,
      scope: saved.scope,
      createdAt: saved.createdAt,
      expiresAt: saved.expiresAt,
      lastUsedAt: null,
    };
  }

  /**
   * The token of this hash that is not revoked, with its owner (null: unknown or revoked). Expiry is the caller's to
   * judge.
   */
  async holder(tokenHash: string): Promise<ApiTokenHolderRow | null> {
    const [row]: ApiTokenHolderRow[] = await this.db.query(
      `SELECT t.id AS "tokenId", t.scope, t.expires_at AS "expiresAt", t.last_used_at AS "lastUsedAt", u.id AS "userId",
              u.role, u.all_organisations AS "allOrganisations",
              (u.active AND u.token_epoch = t.token_epoch) AS current,
              EXISTS (SELECT 1 FROM api_token_settings s WHERE u.role = ANY(s.allowed_roles)) AS "roleAllowed",
              coalesce(array_agg(uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS "organisationIds"
         FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN user_organisations uo ON uo.user_id = u.id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL
        GROUP BY t.id, u.id`,
      [tokenHash],
    );
    return row ?? null;
  }

  /** Marks the token used now unless it was marked within `throttleSeconds` (one statement, safe across processes). */
  async markUsed(tokenId: string, at: Date, throttleSeconds: number): Promise<void> {
    await this.db.query(
      `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - make_interval(secs => $3))`,
      [tokenId, at, throttleSeconds],
    );
  }

  /**
   * The person's tokens that still work or have only expired: not revoked and made since their last password set, reset
   * or sign-out.
   */
  listLive(userId: string): Promise<ApiTokenSummary[]> {
    return this.db.query(
      `SELECT t.id, t.name, t.scope, t.created_at AS "createdAt", t.expires_at AS "expiresAt", t.last_used_at AS "lastUsedAt"
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.user_id = $1 AND t.revoked_at IS NULL AND t.token_epoch = u.token_epoch
        ORDER BY t.created_at DESC, t.id`,
      [userId],
    );
  }

  /** Revokes the person's token; its name, or null when they have no such live token. */
  async revoke(
    userId: string,
    tokenId: string,
    by: string,
    at: Date,
  ): Promise<{ name: string; scope: ApiTokenScope } | null> {
    const [row]: Array<{ name: string; scope: ApiTokenScope }> = await this.db.query(
      `WITH revoked AS (UPDATE api_tokens SET revoked_at = $3, revoked_by = $4 WHERE id = $2 AND user_id = $1 AND revoked_at IS NULL RETURNING name, scope)
       SELECT name, scope FROM revoked`,
      [userId, tokenId, at, by],
    );
    return row ?? null;
  }

  async settings(): Promise<{ id: string; allowedRoles: Role[]; version: number; updatedAt: Date }> {
    const row = await this.db.findOneByOrFail(ApiTokenSettingsEntity, { singleton: true });
    return { id: row.id, allowedRoles: row.allowedRoles as Role[], version: row.version, updatedAt: row.updatedAt };
  }

  /** Sets the allowed roles if the stored version is `version`; false when it moved on (a concurrent edit). */
  async saveSettings(allowedRoles: readonly Role[], version: number, at: Date): Promise<boolean> {
    const [{ count }]: { count: number }[] = await this.db.query(
      `WITH saved AS (UPDATE api_token_settings SET allowed_roles = $1, version = version + 1, updated_at = $3 WHERE singleton AND version = $2 RETURNING 1)
       SELECT count(*)::int AS count FROM saved`,
      [[...allowedRoles], version, at],
    );
    return count === 1;
  }
}
