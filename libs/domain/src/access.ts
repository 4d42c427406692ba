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

/**
 * Inspectorate staff: administrators, inspectors and managers across every force (inspectorate managers).
 * Only they see a draft inspection and its recommendations; a force's people (liaison users, and a
 * manager scoped to their forces, a force's senior lead) meet it only once it is published.
 */
export function canSeeDrafts(actor: Actor): boolean {
  return (
    actor.role === Role.Admin ||
    actor.role === Role.Inspector ||
    (actor.role === Role.Manager && actor.allOrganisations === true)
  );
}

/**
 * May `actor` see this inspection (or a recommendation of it)? Its organisation, and, while it is a draft, inspectorate
 * staff only.
 */
export function canSeeInspection(actor: Actor, inspection: { organisationId: string; draft: boolean }): boolean {
  return canSeeOrganisation(actor, inspection.organisationId) && (!inspection.draft || canSeeDrafts(actor));
}

/** Inspectors act on the inspections that they lead; administrators on any. */
export function canManageInspection(actor: Actor, inspection: { leadInspectorId: string }): boolean {
  return actor.role === Role.Admin || (actor.role === Role.Inspector && inspection.leadInspectorId === actor.id);
}

/**
 * Whose notifications an actor may read: the one rule behind `GET /notifications`, the readiness pack (JSON,
 * CSV, page) and the recommendation page. Administrators and managers read those of the forces they see;
 * an inspector only those of the inspections they lead; a liaison none (the ledger names recipients and
 * escalations to their managers).
 */
export type NotificationScope =
  { kind: 'none' } | { kind: 'inspections-led-by'; inspectorId: string } | { kind: 'organisations'; actor: Actor };

export function notificationScope(actor: Actor): NotificationScope {
  switch (actor.role) {
    case Role.Admin:
    case Role.Manager:
      return { kind: 'organisations', actor };
    case Role.Inspector:
      return { kind: 'inspections-led-by', inspectorId: actor.id };
    case Role.Liaison:
      return { kind: 'none' };
  }
}

/** May this actor read the notifications about this inspection and its recommendations? (notificationScope.) */
export function canSeeNotifications(
  actor: Actor,
  inspection: { leadInspectorId: string; organisationId: string },
): boolean {
  const scope = notificationScope(actor);
  switch (scope.kind) {
    case 'none':
      return false;
    case 'inspections-led-by':
      return inspection.leadInspectorId === scope.inspectorId;
    case 'organisations':
      return canSeeOrganisation(scope.actor, inspection.organisationId);
  }
}
