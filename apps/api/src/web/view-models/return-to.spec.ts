// Unit tests of returnTo after sign-in: only this site's own pages.
import { describe, expect, it } from '@jest/globals';
import { safeReturnTo, signInPath } from './return-to.js';

describe('returnTo after sign-in', () => {
  it('keeps a local path with its query', () => {
    expect(safeReturnTo('/recommendations/abc?x=1')).toBe('/recommendations/abc?x=1');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    'javascript:alert(1)',
    '',
    42,
    undefined,
    '/a\nb',
  ])('refuses %p', (value) => {
    expect(safeReturnTo(value)).toBe('/');
  });

  it('builds the sign-in link, with no returnTo for the home page', () => {
    expect(signInPath('/')).toBe('/sign-in');
    expect(signInPath('/inspections?x=1')).toBe('/sign-in?returnTo=%2Finspections%3Fx%3D1');
  });
});
