// Which recommendation may supersede which.
import { describe, expect, it } from '@jest/globals';
import { assertSupersedes } from './lineage.js';

const older = { id: 'a', inspectionId: 'i1', publishedAt: new Date('2018-08-30') };
describe('assertSupersedes', () => {
  it('accepts a recommendation of a later inspection', () => {
    expect(() =>
      assertSupersedes(older, { id: 'b', inspectionId: 'i2', publishedAt: new Date('2019-08-01') }),
    ).not.toThrow();
  });
  it('refuses itself, the same inspection and an earlier one, naming supersededById', () => {
    expect(() => assertSupersedes(older, older)).toThrow('supersededById must name another recommendation');
    expect(() => assertSupersedes(older, { id: 'b', inspectionId: 'i1', publishedAt: new Date('2018-08-30') })).toThrow(
      'later inspection',
    );
    expect(() => assertSupersedes(older, { id: 'b', inspectionId: 'i0', publishedAt: new Date('2017-01-01') })).toThrow(
      'later inspection',
    );
  });
});
