import { describe, expect, it } from '@jest/globals';
import { navigationFor } from './navigation.js';

describe('service navigation', () => {
  it('offers liaison staff no overdue list, and marks the current section', () => {
    const items = navigationFor('liaison', '/inspections/abc');
    expect(items.map((i) => i.text)).toEqual(['My work', 'Inspections', 'Your account']);
    expect(items.filter((i) => i.active).map((i) => i.text)).toEqual(['Inspections']);
  });

  it('offers managers, inspectors and admins the overdue list', () => {
    expect(navigationFor('manager', '/').map((i) => [i.text, i.active])).toEqual([
      ['My work', true],
      ['Inspections', false],
      ['Overdue', false],
      ['Your account', false],
    ]);
  });
});
