// The rules a person's account change must keep (each role's forces, the last administrator) and its audit events.
import { DomainError, DomainErrorCode, Role, inputProblem, invalidInput } from '#domain';
import type { Repositories, UserEntity } from '#persistence';

/** The names of the rules a person's account must keep: the `rule` of each problem the users service refuses with. */
export const UserRule = {
  /** A name is given, not blank. */
  NameNotEmpty: 'notEmpty',
  /** Every organisation named exists. */
  OrganisationExists: 'organisationExists',
  /** Only a manager is made a member of every organisation (`allOrganisations`). */
  AllOrganisationsForManager: 'allOrganisationsForManager',
  /** A liaison belongs to at least one organisation. */
  LiaisonOrganisationRequired: 'liaisonOrganisationRequired',
  /** A manager of every organisation names none besides. */
  AllOrNamedOrganisations: 'allOrNamedOrganisations',
  /** A manager belongs to at least one organisation, or to every one. */
  ManagerOrganisationRequired: 'managerOrganisationRequired',
  /** Administrators and inspectors see every organisation, so belong to none by name. */
  NoOrganisationsForRole: 'noOrganisationsForRole',
} as const;
export type UserRule = (typeof UserRule)[keyof typeof UserRule];

/** `ids` are distinct. */
export async function assertOrganisationsExist(tx: Repositories, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  if ((await tx.organisations.countExisting(ids)) !== ids.length)
    throw invalidInput(
      inputProblem(
        'organisationIds',
        UserRule.OrganisationExists,
        'organisationIds contains an organisation that does not exist',
      ),
    );
}

/**
 * Admins and inspectors see every force; a liaison belongs to at least one; a manager either belongs to
 * at least one or was explicitly made a manager of every force (`allOrganisations`), never both and never
 * neither: removing someone's last force is refused rather than widening what they see.
 */
export function assertScope(role: Role, organisationIds: readonly string[], allOrganisations: boolean): void {
  if (role === Role.Liaison && allOrganisations) {
    throw invalidInput(
      inputProblem(
        'allOrganisations',
        UserRule.AllOrganisationsForManager,
        'allOrganisations is only for a manager or an administrator or inspector: a liaison belongs to named organisations',
      ),
    );
  }
  if (role === Role.Liaison && organisationIds.length === 0) {
    throw invalidInput(
      inputProblem(
        'organisationIds',
        UserRule.LiaisonOrganisationRequired,
        'organisationIds must name at least one organisation for a liaison',
      ),
    );
  }
  if (role === Role.Manager && allOrganisations && organisationIds.length > 0) {
    throw invalidInput(
      inputProblem(
        'organisationIds',
        UserRule.AllOrNamedOrganisations,
        'organisationIds must be empty when allOrganisations is true: a manager sees every organisation or the ones named',
      ),
    );
  }
  if (role === Role.Manager && !allOrganisations && organisationIds.length === 0) {
    throw invalidInput(
      inputProblem(
        'organisationIds',
        UserRule.ManagerOrganisationRequired,
        'organisationIds must name at least one organisation for a manager, or allOrganisations must be true for every organisation',
      ),
    );
  }
  if ((role === Role.Admin || role === Role.Inspector) && organisationIds.length > 0) {
    throw invalidInput(
      inputProblem(
        'organisationIds',
        UserRule.NoOrganisationsForRole,
        `organisationIds must be empty for an ${role}: they see every organisation`,
      ),
    );
  }
}

/** Refuses a change that would leave no active administrator (`activeAdminIds`: those locked for the change). */
export function assertNotLastAdmin(
  user: UserEntity,
  role: Role,
  active: boolean,
  activeAdminIds: readonly string[],
): void {
  if (
    user.role === Role.Admin &&
    user.active &&
    (role !== Role.Admin || !active) &&
    !activeAdminIds.some((adminId) => adminId !== user.id)
  ) {
    throw new DomainError(
      DomainErrorCode.Conflict,
      'the last active administrator cannot be deactivated or given another role: make someone else an administrator first',
    );
  }
}

/** Only a manager stores the choice; administrators and inspectors see every force by their role. */
export const storedAllOrganisations = (role: Role, allOrganisations: boolean): boolean =>
  role === Role.Manager && allOrganisations;

/** The "every force" choice a change asks for: as given; off when forces are named; otherwise as stored. */
export function requestedAllOrganisations(
  input: { allOrganisations?: boolean; organisationIds?: string[] },
  stored: boolean,
): boolean {
  if (input.allOrganisations !== undefined) return input.allOrganisations;
  if (input.organisationIds !== undefined) return false;
  return stored;
}

export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/** The audit events of a change to a person, one for each kind of change made (none when nothing changed). */
export function userChangeEvents(
  user: UserEntity,
  before: readonly string[],
  next: { name: string; role: Role; organisationIds: readonly string[]; allOrganisations: boolean; active: boolean },
): { action: string; changes: Record<string, unknown> }[] {
  const { name, role, organisationIds, allOrganisations, active } = next;
  const events: { action: string; changes: Record<string, unknown> }[] = [];
  if (name !== user.name) events.push({ action: 'user.renamed', changes: { name: { from: user.name, to: name } } });
  if (role !== user.role)
    events.push({ action: 'user.role_changed', changes: { role: { from: user.role, to: role } } });
  if (!sameMembers(before, organisationIds) || allOrganisations !== user.allOrganisations) {
    events.push({
      action: 'user.organisations_changed',
      changes: {
        organisationIds: { from: [...before].sort(), to: [...organisationIds].sort() },
        ...(allOrganisations !== user.allOrganisations
          ? { allOrganisations: { from: user.allOrganisations, to: allOrganisations } }
          : {}),
      },
    });
  }
  if (active !== user.active)
    events.push({
      action: active ? 'user.reactivated' : 'user.deactivated',
      changes: { active: { from: user.active, to: active } },
    });
  return events;
}
