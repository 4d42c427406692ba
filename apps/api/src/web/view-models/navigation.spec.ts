// Unit tests of the header navigation: which links each role sees.
import { describe, expect, it } from '@jest/globals';
import { navigationFor } from './navigation.js';

const texts = (role: string) => navigationFor(role, '/').map((item) => item.text);

describe('header navigation', () => {
  it('offers each role the pages it may open', () => {
    expect(texts('liaison')).toEqual(['My work', 'Inspections', 'Account']);
    expect(texts('manager')).toEqual(['My work', 'Inspections', 'Overdue', 'Dashboard', 'Account']);
    expect(texts('inspector')).toEqual(['My work', 'Inspections', 'Overdue', 'Dashboard', 'Import', 'Account']);
    expect(texts('admin')).toEqual(['My work', 'Inspections', 'Overdue', 'Dashboard', 'Import', 'Account', 'Admin']);
    expect(texts('nobody')).toEqual([]);
  });

  it('marks the current section, and My work only on the home page', () => {
    const active = (path: string) =>
      navigationFor('admin', path)
        .filter((item) => item.active)
        .map((item) => item.text);
    expect(active('/')).toEqual(['My work']);
    expect(active('/admin/users/new')).toEqual(['Admin']);
    expect(active('/overdue.csv')).toEqual(['Overdue']);
    expect(active('/inspections/abc')).toEqual(['Inspections']);
    expect(active('/administrators')).toEqual([]);
  });
});
