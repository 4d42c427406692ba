// Organisations (forces): creating and listing them.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode, canSeeOrganisation, notFound, type Actor } from '#domain';
import { OrganisationEntity, runInTransaction, Store } from '#persistence';

import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './paging.js';
import { CLOCK, type Clock } from './tokens.js';
import { organisationView } from './views.js';
import { onlyVisible } from './visibility.js';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: { name: string; code: string }) {
    const code = input.code.trim().toUpperCase();
    const org = await runInTransaction(this.db, async (manager) => {
      const tx = new Store(manager);
      if (await manager.existsBy(OrganisationEntity, { code })) {
        throw new DomainError(DomainErrorCode.Conflict, `code ${code} is already used by another organisation`);
      }
      const created = await manager.save(manager.create(OrganisationEntity, { name: input.name.trim(), code }));
      await tx.audit.record(this.clock.now(), { actorId: actor.id, entityType: 'organisation', entityId: created.id, action: 'organisation.created', changes: { name: created.name, code } });
      return created;
    });
    return organisationView(org);
  }

  async list(actor: Actor, request: PageRequest) {
    const limit = pageSize(request);
    const after = decodeCursor(request.cursor, ['text', 'uuid']);
    const query = this.db.getRepository(OrganisationEntity).createQueryBuilder('o').orderBy('o.name', 'ASC').addOrderBy('o.id', 'ASC').limit(limit + 1);
    onlyVisible(query, 'o.id', actor);
    if (after) query.andWhere('(o.name, o.id) > (:name, :id)', { name: after[0], id: after[1] });
    const rows = await query.getMany();
    return toPage(rows, limit, organisationView, (o) => [o.name, o.id]) satisfies Page<unknown>;
  }

  async get(actor: Actor, id: string) {
    const org = await this.db.getRepository(OrganisationEntity).findOneBy({ id });
    if (!org || !canSeeOrganisation(actor, id)) throw notFound('organisation');
    return organisationView(org);
  }
}
