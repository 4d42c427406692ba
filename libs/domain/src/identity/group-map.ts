// Single sign-on: the identity provider's groups → a role and forces (OIDC_GROUP_MAP), read and checked once, applied
// at each sign-in.
import { ORGANISATION_CODE_PATTERN } from '../organisation-code.js';
import { Role } from '../roles.js';

/** What one group gives: a role, and named forces (codes) or every force. */
export interface GroupGrant {
  role: Role;
  forces: readonly string[] | 'all';
}

export type GroupMap = ReadonlyMap<string, GroupGrant>;

/** What a person's groups add up to: the widest role, and the union of the forces. */
export interface GrantedAccess {
  role: Role;
  /** Organisation codes (empty for an administrator or inspector, who see every force by their role). */
  forces: readonly string[];
  /** A manager of every force. */
  allForces: boolean;
  /** The mapped groups that gave it, for the audit event. */
  groups: readonly string[];
}

/** Narrowest first: a person in several mapped groups gets the last of theirs in this order. */
export const ROLE_WIDTH: readonly Role[] = [Role.Liaison, Role.Inspector, Role.Manager, Role.Admin];

const EXAMPLE = `{"hmicfrs-admins":{"role":"admin","forces":"all"},"merseyside-liaison":{"role":"liaison","forces":["MERSEYSIDE"]}}`;

/**
 * Reads OIDC_GROUP_MAP: a JSON object of group → { role, forces }. Throws one paragraph naming the setting,
 * the group and what is wrong, with an example, so a bad map stops the process at start-up.
 */
export function parseGroupMap(text: string, setting = 'OIDC_GROUP_MAP'): GroupMap {
  const refuse = (what: string) =>
    new Error(
      `${setting} ${what}. It must be a JSON object mapping each identity provider group to a role (liaison, inspector, manager or admin) and forces (a list of organisation codes, or "all"), for example ${EXAMPLE}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refuse('is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse('is not a JSON object');
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0) throw refuse('maps no group');
  const map = new Map<string, GroupGrant>();
  for (const [group, grant] of entries) {
    if (group.trim() === '') throw refuse('has an empty group name');
    if (typeof grant !== 'object' || grant === null || Array.isArray(grant))
      throw refuse(`gives group "${group}" something other than an object`);
    const { role, forces, ...rest } = grant as Record<string, unknown>;
    if (Object.keys(rest).length > 0)
      throw refuse(`gives group "${group}" unknown fields (${Object.keys(rest).join(', ')})`);
    if (!ROLE_WIDTH.includes(role as Role))
      throw refuse(`gives group "${group}" the role ${JSON.stringify(role)}, which is not a role`);
    map.set(group, { role: role as Role, forces: readForces(group, role as Role, forces, refuse) });
  }
  return map;
}

function readForces(group: string, role: Role, forces: unknown, refuse: (what: string) => Error): GroupGrant['forces'] {
  if (forces === 'all') {
    if (role === Role.Liaison)
      throw refuse(`gives group "${group}" (liaison) every force: a liaison officer belongs to named forces`);
    return 'all';
  }
  if (!Array.isArray(forces) || forces.length === 0)
    throw refuse(`gives group "${group}" no forces: give a list of organisation codes or "all"`);
  const codes = forces.map((code) => (typeof code === 'string' ? code.trim().toUpperCase() : ''));
  const bad = codes.findIndex((code) => !ORGANISATION_CODE_PATTERN.test(code));
  if (bad >= 0)
    throw refuse(
      `gives group "${group}" the force ${JSON.stringify(forces[bad])}, which is not an organisation code (A-Z, 0-9 and hyphens)`,
    );
  return [...new Set(codes)];
}

/**
 * What these groups give (null: none of them is mapped). The widest role wins; forces are the union of every
 * mapped group's; "all" in any group makes a manager a manager of every force. Administrators and inspectors
 * see every force by their role, so keep none.
 */
export function grantFor(groups: readonly string[], map: GroupMap): GrantedAccess | null {
  const mapped = [...new Set(groups)].filter((g) => map.has(g)).sort();
  if (mapped.length === 0) return null;
  const grants = mapped.map((g) => map.get(g)!);
  const role = grants.reduce<Role>(
    (widest, g) => (ROLE_WIDTH.indexOf(g.role) > ROLE_WIDTH.indexOf(widest) ? g.role : widest),
    Role.Liaison,
  );
  if (role === Role.Admin || role === Role.Inspector) return { role, forces: [], allForces: false, groups: mapped };
  const allForces = role === Role.Manager && grants.some((g) => g.forces === 'all');
  const forces = allForces ? [] : [...new Set(grants.flatMap((g) => (g.forces === 'all' ? [] : g.forces)))].sort();
  return { role, forces, allForces, groups: mapped };
}

/** The groups claim as a list of strings, whatever shape the provider sent (a list, one string, or nothing). */
export function groupsFromClaim(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  return [];
}
