// How people appear on the pages: role names, and the forces someone belongs to.

const ROLE_NAMES: Record<string, string> = {
  admin: 'Administrator',
  manager: 'Manager',
  inspector: 'Inspector',
  liaison: 'Force liaison',
};

export const roleName = (role: string): string => ROLE_NAMES[role] ?? role;

/** The role radios of the user forms, each with what it lets the person do. */
export const ROLE_CHOICES: readonly { value: string; text: string; hint: string }[] = [
  {
    value: 'liaison',
    text: 'Force liaison',
    hint: 'Keeps their force’s action plans and evidence up to date. Choose at least one force.',
  },
  {
    value: 'inspector',
    text: 'Inspector',
    hint: 'Sees every force; reviews plans and evidence of the inspections they lead.',
  },
  {
    value: 'manager',
    text: 'Manager',
    hint: 'Oversees what is overdue: of the forces chosen, or of every force when “All forces” is chosen.',
  },
  { value: 'admin', text: 'Administrator', hint: 'Manages organisations, people and follow-up policies.' },
];

/**
 * "All forces" for someone who sees every force (admins, inspectors, managers given all forces); otherwise the names.
 */
export function forcesText(
  organisationIds: readonly string[],
  names: ReadonlyMap<string, string>,
  allOrganisations: boolean,
): string {
  if (allOrganisations) return 'All forces';
  if (organisationIds.length === 0) return 'No forces';
  return organisationIds
    .map((id) => names.get(id) ?? 'Unknown force')
    .sort((a, b) => a.localeCompare(b, 'en-GB'))
    .join(', ');
}
