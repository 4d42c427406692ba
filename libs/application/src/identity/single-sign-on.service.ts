// Single sign-on (OpenID Connect): the identity provider's verified claims → an account (made just in time, kept in
// step with the groups), or a refusal.
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type OidcConfig } from '#config';
import { DomainError, DomainErrorCode, grantFor, Role, type Actor, type GrantedAccess } from '#domain';
import { Storage, type UserEntity } from '#persistence';
import { Replanning } from '../replanning.js';
import { CLOCK, type Clock } from '../tokens.js';
import { UsersService } from '../users.service.js';

/** What the identity provider vouched for (the ID token's claims, checked by the relying party). */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  groups: readonly string[];
}

/**
 * Why a person is not let in: no mapped group (`unmapped`), mapped forces that do not exist here (`no-forces`),
 * an account an administrator deactivated (`deactivated`), no email claim (`no-email`), or a password account
 * that already has this email (`email-taken`: never linked silently, see docs/identity.md).
 */
export type SsoRefusal = 'unmapped' | 'no-forces' | 'deactivated' | 'no-email' | 'email-taken';

export type SsoOutcome =
  { signedIn: true; user: { id: string; name: string; tokenEpoch: number } } | { signedIn: false; refusal: SsoRefusal };

@Injectable()
export class SingleSignOnService {
  constructor(
    private readonly storage: Storage,
    private readonly users: UsersService,
    private readonly replanning: Replanning,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get oidc(): OidcConfig {
    if (!this.config.oidc) throw new DomainError(DomainErrorCode.NotFound, 'single sign-on is not configured');
    return this.config.oidc;
  }

  /**
   * Signs in the person the identity provider vouched for. The first time, their account is made from the
   * claims; later, their role and forces follow their groups (re-planning what they are sent, as an
   * administrator's edit does). Someone whose groups no longer map to anything is deactivated and refused.
   */
  async signIn(identity: VerifiedIdentity): Promise<SsoOutcome> {
    const grant = grantFor(identity.groups, this.oidc.groupMap);
    const linked = await this.storage.pool.singleSignOn.findLinked(identity.issuer, identity.subject);
    if (linked && !linked.active) return { signedIn: false, refusal: 'deactivated' };
    if (!grant) {
      if (linked) await this.deactivate(linked);
      return { signedIn: false, refusal: 'unmapped' };
    }
    const codes = await this.storage.pool.singleSignOn.organisationIdsByCode(grant.forces);
    const organisationIds = [...codes.values()];
    const needsForces = (grant.role === Role.Liaison || grant.role === Role.Manager) && !grant.allForces;
    if (needsForces && organisationIds.length === 0) {
      if (linked) await this.deactivate(linked);
      return { signedIn: false, refusal: 'no-forces' };
    }
    let userId: string;
    if (linked) {
      userId = linked.id;
      await this.users.update(self(linked), linked.id, {
        version: linked.version,
        role: grant.role,
        organisationIds,
        allOrganisations: grant.allForces,
        ...(identity.name ? { name: identity.name } : {}),
      });
    } else {
      const email = identity.email?.trim().toLowerCase();
      if (!email) return { signedIn: false, refusal: 'no-email' };
      if (await this.storage.pool.users.emailTaken(email)) return { signedIn: false, refusal: 'email-taken' };
      userId = await this.create(identity, email, grant, organisationIds);
    }
    await this.storage.pool.users.recordSignIn(userId, this.clock.now());
    const user = await this.users.view(userId);
    return { signedIn: true, user: { id: user.id, name: user.name, tokenEpoch: await this.users.tokenEpoch(user.id) } };
  }

  /**
   * Back-channel logout: the identity provider says this person signed out there. Recorded (`user.signed_out`);
   * the caller ends their web sessions. Their personal API tokens stay: they belong to the systems that use
   * them, not to a browser sign-in (a single sign-on person has no password, so no JWT of POST /auth/login).
   * Returns their id, or null for nobody linked.
   */
  async signedOutAtProvider(issuer: string, subject: string): Promise<string | null> {
    const user = await this.storage.pool.singleSignOn.findLinked(issuer, subject);
    if (!user) return null;
    await this.storage.transaction((tx) =>
      tx.audit.record(this.clock.now(), {
        actorId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'user.signed_out',
        changes: { via: 'identity_provider' },
      }),
    );
    return user.id;
  }

  private async create(
    identity: VerifiedIdentity,
    email: string,
    grant: GrantedAccess,
    organisationIds: string[],
  ): Promise<string> {
    const now = this.clock.now();
    let id = '';
    await this.replanning.run(async (tx, planner) => {
      const name = identity.name?.trim() || email;
      const user = await tx.users.add({
        email,
        name,
        passwordHash: null,
        role: grant.role,
        allOrganisations: grant.allForces,
        reminderDelivery: 'immediate',
      });
      await tx.singleSignOn.link(user.id, identity.issuer, identity.subject);
      await tx.users.addMemberships(user.id, organisationIds);
      await tx.audit.record(now, {
        actorId: user.id,
        entityType: 'user',
        entityId: user.id,
        action: 'user.created',
        changes: {
          email,
          role: grant.role,
          organisationIds,
          ...(grant.allForces ? { allOrganisations: true } : {}),
          via: 'single_sign_on',
          groups: [...grant.groups],
        },
      });
      id = user.id;
      return planner.replanRecipient(tx, user.id, now);
    });
    return id;
  }

  /**
   * Their groups no longer give them anything here: deactivated (as an administrator would), unless they are the last
   * administrator.
   */
  private async deactivate(user: UserEntity): Promise<void> {
    try {
      await this.users.update(self(user), user.id, { version: user.version, active: false });
    } catch (error) {
      if (!(
        error instanceof DomainError &&
        (error.code === DomainErrorCode.Conflict || error.code === DomainErrorCode.StaleVersion)
      ))
        throw error;
    }
  }
}

/** The person acting on their own account (at their sign-in): only their id is recorded as the audit event's actor. */
const self = (user: UserEntity): Actor => ({
  id: user.id,
  role: user.role,
  organisationIds: [],
  allOrganisations: user.allOrganisations,
});
