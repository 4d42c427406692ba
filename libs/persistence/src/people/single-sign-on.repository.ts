// Single sign-on on `users` and `organisations`: the account linked to an identity provider's person, and which
// organisations are single sign-on only.
import type { EntityManager } from 'typeorm';
import { UserEntity } from '../entities/user.entity.js';

export class SingleSignOnRepository {
  constructor(private readonly db: EntityManager) {}

  /** The account linked to this person of this identity provider, or null. */
  findLinked(issuer: string, subject: string): Promise<UserEntity | null> {
    return this.db.findOneBy(UserEntity, { oidcIssuer: issuer, oidcSubject: subject });
  }

  /** The linked account, locked until the transaction ends, or null. */
  lockLinked(issuer: string, subject: string): Promise<UserEntity | null> {
    return this.db.findOne(UserEntity, {
      where: { oidcIssuer: issuer, oidcSubject: subject },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async link(userId: string, issuer: string, subject: string): Promise<void> {
    await this.db.update(UserEntity, { id: userId }, { oidcIssuer: issuer, oidcSubject: subject });
  }

  /** Organisation ids by code, for the codes that name one. */
  async organisationIdsByCode(codes: readonly string[]): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows: { id: string; code: string }[] = await this.db.query(
      `SELECT id, code FROM organisations WHERE code = ANY($1::text[])`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  /**
   * Whether the person (by lower-cased email, or id) belongs to an organisation that is single sign-on only, or is
   * linked to an identity provider.
   */
  async passwordBarred(by: { email: string } | { id: string }): Promise<boolean> {
    const [where, value] = 'email' in by ? ['u.email = $1', by.email] : ['u.id = $1', by.id];
    const [row]: { barred: boolean }[] = await this.db.query(
      `SELECT (u.oidc_subject IS NOT NULL OR EXISTS (
                 SELECT 1 FROM user_organisations uo JOIN organisations o ON o.id = uo.organisation_id
                  WHERE uo.user_id = u.id AND o.sso_only)) AS barred
         FROM users u WHERE ${where}`,
      [value],
    );
    return row?.barred ?? false;
  }

  /** Whether any of these organisations is single sign-on only. */
  async anySsoOnly(organisationIds: readonly string[]): Promise<boolean> {
    if (organisationIds.length === 0) return false;
    const [row]: { any: boolean }[] = await this.db.query(
      `SELECT bool_or(sso_only) AS any FROM organisations WHERE id = ANY($1::uuid[])`,
      [organisationIds],
    );
    return row?.any ?? false;
  }

  async setSsoOnly(organisationId: string, ssoOnly: boolean): Promise<void> {
    await this.db.query(
      `UPDATE organisations SET sso_only = $2, version = version + 1, updated_at = now() WHERE id = $1`,
      [organisationId, ssoOnly],
    );
  }
}
