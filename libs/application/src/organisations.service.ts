// Organisations (forces): creating and listing them.
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode, canSeeOrganisation, normaliseOrganisationCode, notFound, type Actor } from '#domain';
import { Storage } from '#persistence';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './paging.js';
import { CLOCK, type Clock } from './tokens.js';
import { organisationView } from './views.js';

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: { name: string; code: string }) {
    const code = normaliseOrganisationCode(input.code);
    const org = await this.storage.transaction(async (tx) => {
      if (await tx.organisations.codeTaken(code)) {
        throw new DomainError(DomainErrorCode.Conflict, `code ${code} is already used by another organisation`);
      }
      const created = await tx.organisations.add({ name: input.name.trim(), code });
      await tx.audit.record(this.clock.now(), { actorId: actor.id, entityType: 'organisation', entityId: created.id, action: 'organisation.created', changes: { name: created.name, code } });
      return created;
    });
    return organisationView(org);
  }

  async list(actor: Actor, request: PageRequest) {
    const limit = pageSize(request);
    const after = decodeCursor(request.cursor, ['text', 'uuid']);
    const rows = await this.storage.pool.organisations.listPage(actor, after, limit + 1);
    return toPage(rows, limit, organisationView, (o) => [o.name, o.id]) satisfies Page<unknown>;
  }

  async get(actor: Actor, id: string) {
    const org = await this.storage.pool.organisations.findById(id);
    if (!org || !canSeeOrganisation(actor, id)) throw notFound('organisation');
    return organisationView(org);
  }
}
