// The API token pages' form reading and list wording: problems named per field, dates in London words, no ids shown.
import { describe, expect, it } from '@jest/globals';
import { makeTokenRequest, readAllowedRoles, readMakeTokenForm, tokenRows } from './api-tokens.js';

describe('API token view models', () => {
  it('turns a filled form into the API request, with the expiry as a calendar date or none', () => {
    const form = readMakeTokenForm({
      name: '  Records  ',
      scope: 'read-only',
      'expiresOn-day': '31',
      'expiresOn-month': '3',
      'expiresOn-year': '2027',
    });
    expect(makeTokenRequest(form)).toEqual({
      problems: [],
      request: { name: 'Records', scope: 'read-only', expiresOn: '2027-03-31' },
    });
    expect(makeTokenRequest(readMakeTokenForm({ name: 'R', scope: 'read-write' })).request).toEqual({
      name: 'R',
      scope: 'read-write',
      expiresOn: null,
    });
  });

  it('names each problem by its field', () => {
    const { problems, request } = makeTokenRequest(
      readMakeTokenForm({
        name: '',
        scope: 'everything',
        'expiresOn-day': '31',
        'expiresOn-month': '2',
        'expiresOn-year': '2027',
      }),
    );
    expect(request).toBeUndefined();
    expect(problems.map((p) => p.field)).toEqual(['name', 'scope', 'expiresOn']);
  });

  it('reads the ticked roles, one or several, ignoring anything else', () => {
    expect(readAllowedRoles({ allowedRoles: 'liaison' })).toEqual(['liaison']);
    expect(readAllowedRoles({ allowedRoles: ['liaison', 'root', 'manager'] })).toEqual(['manager', 'liaison']);
    expect(readAllowedRoles({})).toEqual([]);
  });

  it('lists tokens in words: London dates, the last day it works, never the id', () => {
    const [row] = tokenRows(
      [
        {
          id: '0b8f5c2e-4a4b-4c1e-9d2a-1a2b3c4d5e6f',
          name: 'Bridge',
          scope: 'read-write',
          createdAt: new Date('2026-07-01T23:30:00Z'),
          expiresAt: new Date('2027-04-01T00:00:00+01:00'),
          lastUsedAt: null,
        },
      ],
      (id) => `/account/api-tokens/${id}/revoke`,
      new Date('2026-12-06T12:00:00Z'),
    );
    expect(row).toEqual({
      name: 'Bridge',
      scopeText: 'Read and write',
      made: '2 July 2026',
      lastUsed: 'Not used yet',
      expires: 'End of 31 March 2027',
      revokeAction: '/account/api-tokens/0b8f5c2e-4a4b-4c1e-9d2a-1a2b3c4d5e6f/revoke',
    });
  });
});
