// People's accounts and their forces: reads, row locks and writes of `users` and `user_organisations`.
import { In, type EntityManager } from 'typeorm';
import type { ReminderDelivery, Role } from '#domain';
import { UserEntity } from '../entities/user.entity.js';
import { UserOrganisationEntity } from '../entities/user-organisation.entity.js';
import { assertInTransaction } from '../transactions.js';

/** The fields of a new account; the database fills in the rest. */
export interface NewUser {
  email: string;
  name: string;
  passwordHash: string | null;
  role: Role;
  reminderDelivery: ReminderDelivery;
  allOrganisations?: boolean;
}

/** What an update may change of an account. */
export type UserChanges = Partial<
  Pick<
    UserEntity,
    | 'name'
    | 'role'
    | 'allOrganisations'
    | 'passwordHash'
    | 'active'
    | 'tokenEpoch'
    | 'calendarTokenHash'
    | 'reminderDelivery'
    | 'version'
    | 'updatedAt'
  >
>;

/** An active person as a request acts for them, with the sign-out epoch their tokens must carry. */
export interface ActiveUserRow {
  id: string;
  role: Role;
  tokenEpoch: number;
  organisationIds: string[];
  allOrganisations: boolean;
}

export class UsersRepository {
  constructor(private readonly db: EntityManager) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOneBy({ id });
  }

  /** `email` lower-cased already (as stored). */
  findByEmail(email: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOneBy({ email });
  }

  /**
   * A sign-in: the latest becomes the previous one ("since your last visit" reads it). Not an edit: the version stays.
   */
  async recordSignIn(id: string, at: Date): Promise<void> {
    await this.db.query(`UPDATE users SET previous_sign_in_at = last_sign_in_at, last_sign_in_at = $2 WHERE id = $1`, [
      id,
      at,
    ]);
  }

  /** When the person signed in before the current sign-in (null: never, or this is the first). */
  async previousSignIn(id: string): Promise<Date | null> {
    const rows: Array<{ at: Date | null }> = await this.db.query(
      `SELECT previous_sign_in_at AS at FROM users WHERE id = $1`,
      [id],
    );
    return rows[0]?.at ?? null;
  }

  emailTaken(email: string): Promise<boolean> {
    return this.db.existsBy(UserEntity, { email });
  }

  /** The account, locked until the transaction ends, or null. */
  lockForUpdate(id: string): Promise<UserEntity | null> {
    return this.db.findOne(UserEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The active administrators' ids, locked in id order (so two callers never deadlock). */
  async lockActiveAdmins(): Promise<string[]> {
    assertInTransaction(this.db, 'lockActiveAdmins');
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`,
    );
    return rows.map((row) => row.id);
  }

  /** Up to `take` people by (email, id) after the keyset `after`, only the active ones of `activeWithRole` if given. */
  listPage(after: readonly string[] | null, take: number, activeWithRole?: Role): Promise<UserEntity[]> {
    const query = this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .orderBy('u.email', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(take);
    if (after) query.andWhere('(u.email, u.id) > (:email, :id)', { email: after[0], id: after[1] });
    if (activeWithRole) query.andWhere('u.role = :role AND u.active', { role: activeWithRole });
    return query.getMany();
  }

  add(user: NewUser): Promise<UserEntity> {
    return this.db.save(this.db.create(UserEntity, user));
  }

  async update(id: string, changes: UserChanges): Promise<void> {
    await this.db.update(UserEntity, { id }, changes);
  }

  /** Ends every token issued to the person so far. */
  async advanceTokenEpoch(id: string): Promise<void> {
    await this.db.query(`UPDATE users SET token_epoch = token_epoch + 1 WHERE id = $1`, [id]);
  }

  /** The person's current sign-out epoch (0 for nobody). */
  async tokenEpoch(id: string): Promise<number> {
    const [row]: { tokenEpoch: number }[] = await this.db.query(
      `SELECT token_epoch AS "tokenEpoch" FROM users WHERE id = $1`,
      [id],
    );
    return row?.tokenEpoch ?? 0;
  }

  /** An active person with their forces, in one query; null when unknown or deactivated. */
  async activeWithForces(id: string): Promise<ActiveUserRow | null> {
    const [row]: ActiveUserRow[] = await this.db.query(
      `SELECT u.id, u.role, u.token_epoch AS "tokenEpoch", u.all_organisations AS "allOrganisations",
              coalesce(array_agg(uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS "organisationIds"
         FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id
        WHERE u.id = $1 AND u.active GROUP BY u.id`,
      [id],
    );
    return row ?? null;
  }

  /**
   * Inserts the administrator, or makes the account of that email an active administrator with this
   * password; says which. `email` lower-cased already.
   */
  async upsertAdmin(email: string, passwordHash: string): Promise<{ id: string; inserted: boolean }> {
    const [row]: { id: string; inserted: boolean }[] = await this.db.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Administrator', $2, 'admin')
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin', all_organisations = false, active = true, updated_at = now()
       RETURNING id, (xmax = 0) AS inserted`,
      [email, passwordHash],
    );
    return row;
  }

  /** Each person's forces (people with none are absent). */
  async memberships(userIds: readonly string[]): Promise<Map<string, string[]>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .getRepository(UserOrganisationEntity)
      .find({ where: userIds.map((userId) => ({ userId })) });
    const byUser = new Map<string, string[]>();
    for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.organisationId]);
    return byUser;
  }

  /** The names of the users among `ids`. */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    const users = await this.db
      .getRepository(UserEntity)
      .find({ where: { id: In(ids) }, select: { id: true, name: true } });
    return new Map(users.map((u) => [u.id, u.name]));
  }

  /** Adds the person to these forces (none: nothing). */
  async addMemberships(userId: string, organisationIds: readonly string[]): Promise<void> {
    await this.db.insert(
      UserOrganisationEntity,
      organisationIds.map((organisationId) => ({ userId, organisationId })),
    );
  }

  /** The person belongs to exactly these forces afterwards. */
  async replaceMemberships(userId: string, organisationIds: readonly string[]): Promise<void> {
    await this.db.query(`DELETE FROM user_organisations WHERE user_id = $1`, [userId]);
    await this.addMemberships(userId, organisationIds);
  }
}
