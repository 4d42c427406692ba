// Who sees which organisation: "all forces" is an explicit choice for a manager, never the empty set.
import { describe, expect, it } from '@jest/globals';
import { canSeeOrganisation, visibleOrganisations } from './access.js';
import { Role } from './roles.js';

describe('visibleOrganisations', () => {
  it('gives administrators and inspectors every force, a liaison theirs', () => {
    expect(visibleOrganisations({ id: 'a', role: Role.Admin, organisationIds: [] })).toBe('all');
    expect(visibleOrganisations({ id: 'i', role: Role.Inspector, organisationIds: [] })).toBe('all');
    expect(visibleOrganisations({ id: 'l', role: Role.Liaison, organisationIds: ['x'] })).toEqual(['x']);
  });

  it('gives a manager every force only when chosen; no forces is nothing, not everything', () => {
    expect(visibleOrganisations({ id: 'm', role: Role.Manager, organisationIds: [], allOrganisations: true })).toBe(
      'all',
    );
    expect(visibleOrganisations({ id: 'm', role: Role.Manager, organisationIds: ['x'] })).toEqual(['x']);
    expect(visibleOrganisations({ id: 'm', role: Role.Manager, organisationIds: [] })).toEqual([]);
    expect(canSeeOrganisation({ id: 'm', role: Role.Manager, organisationIds: [] }, 'x')).toBe(false);
    // A liaison never sees every force, whatever the flag says.
    expect(
      visibleOrganisations({ id: 'l', role: Role.Liaison, organisationIds: ['x'], allOrganisations: true }),
    ).toEqual(['x']);
  });
});
