// Who sees which organisation and who manages which inspection.
import { Role } from './roles.js';

/** Who is asking: enough to decide what they may see and do. */
export interface Actor {
  id: string;
  role: Role;
  /** The organisations a liaison or a scoped manager belongs to. */
  organisationIds: readonly string[];
  /** A manager of every force: an explicit choice, never implied by having no organisations. */
  allOrganisations?: boolean;
}

/**
 * Organisations an actor may see: `'all'`, or a list. Administrators and inspectors see every force;
 * a manager sees every force only when that was chosen (`allOrganisations`), otherwise only their own
 * organisations (none: nothing); a liaison only their own.
 */
export function visibleOrganisations(actor: Actor): 'all' | readonly string[] {
  switch (actor.role) {
    case Role.Admin:
    case Role.Inspector:
      return 'all';
    case Role.Manager:
      return actor.allOrganisations === true ? 'all' : actor.organisationIds;
    case Role.Liaison:
      return actor.organisationIds;
  }
}

export function canSeeOrganisation(actor: Actor, organisationId: string): boolean {
  const visible = visibleOrganisations(actor);
  return visible === 'all' || visible.includes(organisationId);
}

/** Inspectors act on the inspections that they lead; administrators on any. */
export function canManageInspection(actor: Actor, inspection: { leadInspectorId: string }): boolean {
  return actor.role === Role.Admin || (actor.role === Role.Inspector && inspection.leadInspectorId === actor.id);
}
