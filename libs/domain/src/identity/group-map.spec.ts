// The single sign-on group map (OIDC_GROUP_MAP): parsing it, reading the groups claim, and the grant a person's groups
// give.
import { describe, expect, it } from '@jest/globals';
import { grantFor, groupsFromClaim, parseGroupMap } from './group-map.js';

const map = parseGroupMap(
  JSON.stringify({
    admins: { role: 'admin', forces: 'all' },
    'mersey-liaison': { role: 'liaison', forces: ['mersey'] },
    'cheshire-liaison': { role: 'liaison', forces: ['CHESHIRE', 'MERSEY'] },
    'mersey-managers': { role: 'manager', forces: ['MERSEY'] },
    'all-managers': { role: 'manager', forces: 'all' },
    inspectors: { role: 'inspector', forces: 'all' },
  }),
);

describe('OIDC_GROUP_MAP', () => {
  it('refuses a map that is not JSON, not an object, or gives a bad role or force, naming the setting and the group', () => {
    expect(() => parseGroupMap('{nope')).toThrow(/^OIDC_GROUP_MAP is not valid JSON\. It must be a JSON object/);
    expect(() => parseGroupMap('[]')).toThrow('OIDC_GROUP_MAP is not a JSON object');
    expect(() => parseGroupMap('{}')).toThrow('OIDC_GROUP_MAP maps no group');
    expect(() => parseGroupMap('{"g":{"role":"boss","forces":"all"}}')).toThrow(
      'gives group "g" the role "boss", which is not a role',
    );
    expect(() => parseGroupMap('{"g":{"role":"liaison","forces":"all"}}')).toThrow(
      'a liaison officer belongs to named forces',
    );
    expect(() => parseGroupMap('{"g":{"role":"manager","forces":[]}}')).toThrow('gives group "g" no forces');
    expect(() => parseGroupMap('{"g":{"role":"manager","forces":["A B"]}}')).toThrow(
      'the force "A B", which is not an organisation code',
    );
    expect(() => parseGroupMap('{"g":{"role":"manager","forces":"all","extra":1}}')).toThrow('unknown fields (extra)');
  });

  it('gives nothing for groups it does not map', () => {
    expect(grantFor([], map)).toBeNull();
    expect(grantFor(['strangers', 'visitors'], map)).toBeNull();
  });

  it('gives the widest role and the union of the forces of every mapped group', () => {
    expect(grantFor(['mersey-liaison', 'cheshire-liaison', 'other'], map)).toEqual({
      role: 'liaison',
      forces: ['CHESHIRE', 'MERSEY'],
      allForces: false,
      groups: ['cheshire-liaison', 'mersey-liaison'],
    });
    expect(grantFor(['cheshire-liaison', 'mersey-managers'], map)).toEqual({
      role: 'manager',
      forces: ['CHESHIRE', 'MERSEY'],
      allForces: false,
      groups: ['cheshire-liaison', 'mersey-managers'],
    });
    expect(grantFor(['mersey-managers', 'all-managers'], map)).toMatchObject({
      role: 'manager',
      forces: [],
      allForces: true,
    });
    expect(grantFor(['mersey-managers', 'inspectors'], map)).toMatchObject({ role: 'manager' });
    expect(grantFor(['inspectors', 'mersey-liaison'], map)).toMatchObject({
      role: 'inspector',
      forces: [],
      allForces: false,
    });
    expect(grantFor(['admins', 'mersey-liaison'], map)).toMatchObject({ role: 'admin', forces: [] });
  });

  it('reads the claim as a list, one string, or nothing', () => {
    expect(groupsFromClaim(['a', 3, 'b'])).toEqual(['a', 'b']);
    expect(groupsFromClaim('a')).toEqual(['a']);
    expect(groupsFromClaim(undefined)).toEqual([]);
  });
});
