// Organisations (forces): creating and listing them.
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  DomainErrorCode,
  assertVersion,
  canSeeOrganisation,
  normaliseOrganisationCode,
  notFound,
  type Actor,
} from '#domain';
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
      await tx.audit.record(this.clock.now(), {
        actorId: actor.id,
        entityType: 'organisation',
        entityId: created.id,
        action: 'organisation.created',
        changes: { name: created.name, code },
      });
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

  /** How an organisation's people sign in (administrators): with a password too, or single sign-on only. */
  async signInSetting(
    id: string,
  ): Promise<{ id: string; name: string; code: string; version: number; ssoOnly: boolean }> {
    const org = await this.storage.pool.organisations.findById(id);
    if (!org) throw notFound('organisation');
    return { id: org.id, name: org.name, code: org.code, version: org.version, ssoOnly: org.ssoOnly };
  }

  /**
   * Sets an organisation to single sign-on only (or back): its people then cannot sign in with a password, ask
   * for a reset, or be invited to choose one (docs/identity.md). Audited as `organisation.sso_only_changed`.
   */
  async setSsoOnly(actor: Actor, id: string, input: { version: number; ssoOnly: boolean }): Promise<void> {
    await this.storage.transaction(async (tx) => {
      const org = await tx.organisations.lockForUpdate(id);
      if (!org) throw notFound('organisation');
      assertVersion(org.version, input.version);
      if (org.ssoOnly === input.ssoOnly) return;
      await tx.singleSignOn.setSsoOnly(id, input.ssoOnly);
      await tx.audit.record(this.clock.now(), {
        actorId: actor.id,
        entityType: 'organisation',
        entityId: id,
        action: 'organisation.sso_only_changed',
        changes: { ssoOnly: { from: org.ssoOnly, to: input.ssoOnly } },
      });
    });
  }
}
