// Organisations (forces): reads and creation of `organisations`.
import { In, type EntityManager } from 'typeorm';
import type { Actor } from '#domain';
import { OrganisationEntity } from '../entities/organisation.entity.js';
import { onlyVisible } from '../store/visibility.js';

export class OrganisationsRepository {
  constructor(private readonly db: EntityManager) {}

  findById(id: string): Promise<OrganisationEntity | null> {
    return this.db.getRepository(OrganisationEntity).findOneBy({ id });
  }

  /** The organisation, locked until the transaction ends, or null. */
  lockForUpdate(id: string): Promise<OrganisationEntity | null> {
    return this.db.findOne(OrganisationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  codeTaken(code: string): Promise<boolean> {
    return this.db.existsBy(OrganisationEntity, { code });
  }

  add(organisation: { name: string; code: string }): Promise<OrganisationEntity> {
    return this.db.save(this.db.create(OrganisationEntity, organisation));
  }

  /** How many of `ids` (distinct) name an organisation. */
  async countExisting(ids: readonly string[]): Promise<number> {
    const [{ count }]: { count: number }[] = await this.db.query(
      `SELECT count(*)::int AS count FROM organisations WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return count;
  }

  /** The names of the organisations among `ids`. */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    const organisations = await this.db
      .getRepository(OrganisationEntity)
      .find({ where: { id: In(ids) }, select: { id: true, name: true } });
    return new Map(organisations.map((o) => [o.id, o.name]));
  }

  /** Up to `take` organisations `actor` may see, by (name, id) after the keyset `after`. */
  listPage(actor: Actor, after: readonly string[] | null, take: number): Promise<OrganisationEntity[]> {
    const query = this.db
      .getRepository(OrganisationEntity)
      .createQueryBuilder('o')
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(take);
    onlyVisible(query, 'o.id', actor);
    if (after) query.andWhere('(o.name, o.id) > (:name, :id)', { name: after[0], id: after[1] });
    return query.getMany();
  }
}
