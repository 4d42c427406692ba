import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, Role, assertVersion, invalidInput, notFound, type Actor, type ReminderDelivery } from '#domain';
import { UserEntity, UserOrganisationEntity } from '#persistence';
import { hashPassword, verifyPassword } from '#auth';
import { audit } from './audit.js';
import { CLOCK, type Clock } from './tokens.js';
import type { UserView } from './views.js';

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: Role;
  organisationIds: string[];
  reminderDelivery?: ReminderDelivery;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: CreateUserInput): Promise<UserView> {
    const organisationIds = [...new Set(input.organisationIds)];
    if (input.role === Role.Liaison && organisationIds.length === 0) {
      throw invalidInput('organisationIds must name at least one organisation for a liaison');
    }
    if ((input.role === Role.Admin || input.role === Role.Inspector) && organisationIds.length > 0) {
      throw invalidInput(`organisationIds must be empty for an ${input.role}: they see every organisation`);
    }
    const passwordHash = await hashPassword(input.password);
    const email = input.email.trim().toLowerCase();
    const id = await this.db.transaction(async (manager) => {
      await this.assertOrganisationsExist(manager, organisationIds);
      if (await manager.existsBy(UserEntity, { email })) {
        throw new DomainError(DomainErrorCode.Conflict, 'email is already in use');
      }
      const user = await manager.save(
        manager.create(UserEntity, { email, name: input.name, passwordHash, role: input.role, reminderDelivery: input.reminderDelivery ?? 'immediate' }),
      );
      await manager.insert(UserOrganisationEntity, organisationIds.map((organisationId) => ({ userId: user.id, organisationId })));
      await audit(manager, this.clock.now(), {
        actorId: actor.id,
        entityType: 'user',
        entityId: user.id,
        action: 'user.created',
        changes: { email, role: input.role, organisationIds },
      });
      return user.id;
    });
    return this.view(id);
  }

  async list(): Promise<UserView[]> {
    const users = await this.db.getRepository(UserEntity).find({ order: { email: 'ASC' } });
    const memberships = await this.memberships(users.map((u) => u.id));
    return users.map((u) => toView(u, memberships.get(u.id) ?? []));
  }

  async view(id: string): Promise<UserView> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw notFound('user');
    return toView(user, (await this.memberships([id])).get(id) ?? []);
  }

  async updatePreferences(actor: Actor, input: { version: number; reminderDelivery: ReminderDelivery }): Promise<UserView> {
    await this.db.transaction(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: actor.id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw notFound('user');
      assertVersion(user.version, input.version);
      if (user.reminderDelivery === input.reminderDelivery) return;
      await manager.update(UserEntity, { id: user.id }, { reminderDelivery: input.reminderDelivery, version: user.version + 1, updatedAt: this.clock.now() });
      await audit(manager, this.clock.now(), {
        actorId: actor.id,
        entityType: 'user',
        entityId: user.id,
        action: 'user.preferences_changed',
        changes: { reminderDelivery: { from: user.reminderDelivery, to: input.reminderDelivery } },
      });
    });
    return this.view(actor.id);
  }

  /** The actor behind a token: re-read on every request, so a changed role or membership applies at once. */
  async findActor(id: string): Promise<Actor | null> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id });
    if (!user) return null;
    return { id: user.id, role: user.role, organisationIds: (await this.memberships([id])).get(id) ?? [] };
  }

  /** Checks credentials; the same error for an unknown email and a wrong password. */
  async authenticate(email: string, password: string): Promise<UserView> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ email: email.trim().toLowerCase() });
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
    if (!user || !valid) throw new DomainError(DomainErrorCode.Unauthenticated, 'email or password is wrong');
    return this.view(user.id);
  }

  /** Creates or updates the administrator named by ADMIN_EMAIL; safe when several processes start at once. */
  async bootstrapAdmin(email: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.db.transaction(async (manager) => {
      const [row]: { id: string; inserted: boolean }[] = await manager.query(
        `INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Administrator', $2, 'admin')
         ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin', updated_at = now()
         RETURNING id, (xmax = 0) AS inserted`,
        [email.trim().toLowerCase(), passwordHash],
      );
      await manager.query(`DELETE FROM user_organisations WHERE user_id = $1`, [row.id]);
      await audit(manager, this.clock.now(), {
        actorId: null,
        entityType: 'user',
        entityId: row.id,
        action: row.inserted ? 'user.created' : 'user.admin_bootstrapped',
        changes: { email: email.trim().toLowerCase(), role: 'admin' },
      });
    });
  }

  private async assertOrganisationsExist(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const [{ count }]: { count: number }[] = await manager.query(`SELECT count(*)::int AS count FROM organisations WHERE id = ANY($1::uuid[])`, [ids]);
    if (count !== ids.length) throw invalidInput('organisationIds contains an organisation that does not exist');
  }

  private async memberships(userIds: string[]): Promise<Map<string, string[]>> {
    const rows = await this.db.getRepository(UserOrganisationEntity).find({ where: userIds.map((userId) => ({ userId })) });
    const byUser = new Map<string, string[]>();
    for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.organisationId]);
    return byUser;
  }
}

// Verifying against a throwaway hash for unknown emails keeps the response time from telling which emails exist.
let dummy: Promise<string> | undefined;
const dummyHash = (): Promise<string> => (dummy ??= hashPassword(crypto.randomUUID()));

function toView(user: UserEntity, organisationIds: string[]): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organisationIds,
    reminderDelivery: user.reminderDelivery,
    version: user.version,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
