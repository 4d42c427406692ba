// People: accounts, roles and memberships, sign-in and sign-out, and the actor behind each request.
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  DomainErrorCode,
  Role,
  assertVersion,
  inputProblem,
  invalidInput,
  notFound,
  type Actor,
  type ReminderDelivery,
} from '#domain';
import { Storage } from '#persistence';
import { hashPassword, passwordProblem, verifyPassword } from '#auth';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './paging.js';
import { assertPasswordAccountAllowed, ssoOnlySignIn } from './identity/sso-only.js';
import { Replanning } from './replanning.js';
import { CLOCK, type Clock } from './tokens.js';
import {
  assertNotLastAdmin,
  assertOrganisationsExist,
  assertScope,
  requestedAllOrganisations,
  sameMembers,
  storedAllOrganisations,
  userChangeEvents,
  UserRule,
} from './user-changes.js';
import { userView, type UserView } from './views.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CreateUserInput {
  email: string;
  name: string;
  /** Absent: the person is invited (`invitation`) and chooses their own. */
  password?: string;
  /** An invitation link to add in the same transaction (AccountLinksService.invite). */
  invitation?: { expiresAt: Date };
  role: Role;
  organisationIds: string[];
  /** A manager of every force (then `organisationIds` is empty): "all forces" is always chosen, never implied. */
  allOrganisations?: boolean;
  reminderDelivery?: ReminderDelivery;
}

/** An administrator's change to a person; only the fields given change. */
export interface UpdateUserInput {
  version: number;
  name?: string;
  role?: Role;
  organisationIds?: string[];
  allOrganisations?: boolean;
  active?: boolean;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly replanning: Replanning,
  ) {}

  async create(actor: Actor, input: CreateUserInput): Promise<UserView> {
    const organisationIds = [...new Set(input.organisationIds)];
    const allOrganisations = storedAllOrganisations(input.role, input.allOrganisations ?? false);
    assertScope(input.role, organisationIds, input.allOrganisations ?? false);
    if (input.password === undefined && !input.invitation)
      throw invalidInput('password is required unless the person is invited');
    const refused = input.password === undefined ? null : passwordProblem(input.password, [input.name, input.email]);
    if (refused) throw invalidInput(`password is refused: ${refused}`);
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    const email = input.email.trim().toLowerCase();
    let id = '';
    await this.replanning.run(async (tx, planner) => {
      await assertOrganisationsExist(tx, organisationIds);
      await assertPasswordAccountAllowed(tx, organisationIds);
      if (await tx.users.emailTaken(email)) {
        throw new DomainError(DomainErrorCode.Conflict, 'email is already in use');
      }
      const user = await tx.users.add({
        email,
        name: input.name,
        passwordHash,
        role: input.role,
        allOrganisations,
        reminderDelivery: input.reminderDelivery ?? 'immediate',
      });
      await tx.users.addMemberships(user.id, organisationIds);
      if (input.invitation) {
        await tx.accountLinks.add({
          userId: user.id,
          purpose: 'invitation',
          expiresAt: input.invitation.expiresAt,
          createdBy: actor.id,
          createdAt: this.clock.now(),
        });
      }
      await tx.audit.record(this.clock.now(), {
        actorId: actor.id,
        entityType: 'user',
        entityId: user.id,
        action: 'user.created',
        changes: {
          email,
          role: input.role,
          organisationIds,
          ...(allOrganisations ? { allOrganisations } : {}),
          ...(input.invitation ? { invited: true } : {}),
        },
      });
      id = user.id;
      // Someone who joins a force is told about its open recommendations, not only about later ones.
      return planner.replanRecipient(tx, user.id, this.clock.now());
    });
    return this.view(id);
  }

  /** Everyone (or the active people of one role), by email, a page at a time. */
  async list(request: PageRequest = {}, filter: { activeWithRole?: Role } = {}): Promise<Page<UserView>> {
    const limit = pageSize(request);
    const after = decodeCursor(request.cursor, 2);
    const users = await this.storage.pool.users.listPage(after, limit + 1, filter.activeWithRole);
    const memberships = await this.storage.pool.users.memberships(users.slice(0, limit).map((u) => u.id));
    return toPage(
      users,
      limit,
      (u) => userView(u, memberships.get(u.id) ?? []),
      (u) => [u.email, u.id],
    );
  }

  /**
   * An administrator changes a person's name, role, organisations or whether they are active. What they
   * should be sent is re-planned in the same transaction; a deactivated person's tokens and sessions stop
   * at once (every request re-reads them) and stay ended if they are reactivated. No change leaves the
   * last active administrator unable to act.
   */
  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<UserView> {
    const now = this.clock.now();
    await this.replanning.run(async (tx, planner) => {
      // The administrators first, always in id order: two demotions at once cannot both leave none, nor deadlock.
      const activeAdminIds =
        input.role !== undefined || input.active !== undefined ? await tx.users.lockActiveAdmins() : [];
      const user = await tx.users.lockForUpdate(id);
      if (!user) throw notFound('user');
      assertVersion(user.version, input.version);
      const before = (await tx.users.memberships([id])).get(id) ?? [];
      const role = input.role ?? user.role;
      // The stored choice carries over only while the person stays a manager: a new manager chooses anew.
      const requestedAll = requestedAllOrganisations(
        input,
        user.role === Role.Manager && role === Role.Manager && user.allOrganisations,
      );
      // Choosing every force leaves the forces chosen one by one, unless the request names some too (refused below).
      const organisationIds = input.organisationIds
        ? [...new Set(input.organisationIds)]
        : input.allOrganisations === true
          ? []
          : before;
      const allOrganisations = storedAllOrganisations(role, requestedAll);
      const active = input.active ?? user.active;
      const name = input.name?.trim() ?? user.name;
      if (input.name !== undefined && name === '')
        throw invalidInput(inputProblem('name', UserRule.NameNotEmpty, 'name must not be empty'));
      assertScope(role, organisationIds, requestedAll);
      await assertOrganisationsExist(tx, organisationIds);
      assertNotLastAdmin(user, role, active, activeAdminIds);

      const events = userChangeEvents(user, before, { name, role, organisationIds, allOrganisations, active });
      if (events.length === 0) return [];

      // Deactivation also ends every token and the calendar link issued so far, so reactivating someone revives
      // neither.
      const deactivating = !active && user.active;
      const tokenEpoch = deactivating ? user.tokenEpoch + 1 : user.tokenEpoch;
      await tx.users.update(id, {
        name,
        role,
        allOrganisations,
        active,
        tokenEpoch,
        ...(deactivating ? { calendarTokenHash: null } : {}),
        version: user.version + 1,
        updatedAt: now,
      });
      if (!sameMembers(before, organisationIds)) await tx.users.replaceMemberships(id, organisationIds);
      for (const event of events)
        await tx.audit.record(now, { actorId: actor.id, entityType: 'user', entityId: id, ...event });
      // A new name changes nothing anyone is sent.
      const audienceChanged =
        role !== user.role ||
        active !== user.active ||
        allOrganisations !== user.allOrganisations ||
        !sameMembers(before, organisationIds);
      return audienceChanged ? planner.replanRecipient(tx, id, now) : [];
    });
    return this.view(id);
  }

  /** Signing out of the API: every token this person holds stops working at once. */
  async endTokens(actor: Actor): Promise<void> {
    await this.storage.transaction(async (tx) => {
      await tx.users.advanceTokenEpoch(actor.id);
      await tx.audit.record(this.clock.now(), {
        actorId: actor.id,
        entityType: 'user',
        entityId: actor.id,
        action: 'user.signed_out',
        changes: {},
      });
    });
  }

  /** The sign-out epoch to put in a new token for this person. */
  tokenEpoch(id: string): Promise<number> {
    return this.storage.pool.users.tokenEpoch(id);
  }

  async view(id: string): Promise<UserView> {
    const user = await this.storage.pool.users.findById(id);
    if (!user) throw notFound('user');
    return userView(user, (await this.storage.pool.users.memberships([id])).get(id) ?? []);
  }

  async updatePreferences(
    actor: Actor,
    input: { version: number; reminderDelivery: ReminderDelivery },
  ): Promise<UserView> {
    await this.replanning.run(async (tx, planner) => {
      const user = await tx.users.lockForUpdate(actor.id);
      if (!user) throw notFound('user');
      assertVersion(user.version, input.version);
      if (user.reminderDelivery === input.reminderDelivery) return [];
      await tx.users.update(user.id, {
        reminderDelivery: input.reminderDelivery,
        version: user.version + 1,
        updatedAt: this.clock.now(),
      });
      await tx.audit.record(this.clock.now(), {
        actorId: actor.id,
        entityType: 'user',
        entityId: user.id,
        action: 'user.preferences_changed',
        changes: { reminderDelivery: { from: user.reminderDelivery, to: input.reminderDelivery } },
      });
      // Reminders already waiting move between immediate and digest batches; only liaisons are reminded.
      return user.role === Role.Liaison ? planner.replanRecipient(tx, user.id, this.clock.now()) : [];
    });
    return this.view(actor.id);
  }

  /**
   * The actor behind a token or a session, or null for nobody current (unknown, deactivated, or, with
   * `tokenEpoch`, signed out since the token was issued). Re-read on every request in one query, so a
   * changed role, membership or deactivation applies at once.
   */
  async findActor(id: string, tokenEpoch?: number): Promise<Actor | null> {
    if (!UUID.test(id)) return null;
    const row = await this.storage.pool.users.activeWithForces(id);
    if (!row || (tokenEpoch !== undefined && tokenEpoch !== row.tokenEpoch)) return null;
    return { id: row.id, role: row.role, organisationIds: row.organisationIds, allOrganisations: row.allOrganisations };
  }

  /** Checks credentials; the same error for an unknown email, a wrong password and a deactivated person. */
  async authenticate(email: string, password: string): Promise<UserView> {
    const user = await this.storage.pool.users.findByEmail(email.trim().toLowerCase());
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
    if (!user || !valid || !user.active)
      throw new DomainError(DomainErrorCode.Unauthenticated, 'email or password is wrong');
    if (await this.storage.pool.singleSignOn.passwordBarred({ id: user.id })) throw ssoOnlySignIn();
    await this.storage.pool.users.recordSignIn(user.id, this.clock.now());
    return this.view(user.id);
  }

  /** Creates or updates the administrator named by ADMIN_EMAIL; safe when several processes start at once. */
  async bootstrapAdmin(email: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.storage.transaction(async (tx) => {
      const row = await tx.users.upsertAdmin(email.trim().toLowerCase(), passwordHash);
      // An administrator sees every force, so belongs to none.
      await tx.users.replaceMemberships(row.id, []);
      await tx.audit.record(this.clock.now(), {
        actorId: null,
        entityType: 'user',
        entityId: row.id,
        action: row.inserted ? 'user.created' : 'user.admin_bootstrapped',
        changes: { email: email.trim().toLowerCase(), role: 'admin' },
      });
    });
  }
}

// Verifying against a throwaway hash for unknown emails keeps the response time from telling which emails exist.
let dummy: Promise<string> | undefined;
const dummyHash = (): Promise<string> => (dummy ??= hashPassword(crypto.randomUUID()));
