// Unit tests: inspection titles beside their force's name, without the name twice.
import { describe, expect, it } from '@jest/globals';
import { besideForce, namesForce } from './force-names.js';

describe('force names in headings', () => {
  it('knows a title that names its force, in full or by its telling part, as whole words', () => {
    expect(namesForce('Merseyside Police: National Child Protection Inspection 2018', 'Merseyside Police')).toBe(true);
    expect(namesForce('Merseyside NCPI 2018', 'Merseyside Police')).toBe(true);
    expect(
      namesForce('PEEL 2023-25: An inspection of the Metropolitan Police Service', 'Metropolitan Police Service'),
    ).toBe(true);
    expect(namesForce('Avon and Somerset: PEEL 2025', 'Avon and Somerset Constabulary')).toBe(true);
    expect(namesForce('North Yorkshire: PEEL 2025', 'South Yorkshire Police')).toBe(false);
    expect(namesForce('Merseysiders NCPI', 'Merseyside Police')).toBe(false);
    expect(namesForce('NCPI 2018', 'Merseyside Police')).toBe(false);
  });

  it('drops a force name the title starts or ends with, and keeps one in the middle', () => {
    expect(besideForce('Merseyside Police: National Child Protection Inspection 2018', 'Merseyside Police')).toBe(
      'National Child Protection Inspection 2018',
    );
    expect(besideForce('Merseyside NCPI 2018', 'Merseyside Police')).toBe('NCPI 2018');
    expect(besideForce('Cheshire Constabulary – NCPI follow-up', 'Cheshire Constabulary')).toBe('NCPI follow-up');
    expect(besideForce('NCPI 2019 (Merseyside Police)', 'Merseyside Police')).toBe('NCPI 2019');
    expect(
      besideForce('PEEL 2023-25: An inspection of the Metropolitan Police Service', 'Metropolitan Police Service'),
    ).toBe('PEEL 2023-25: An inspection of the Metropolitan Police Service');
    expect(besideForce('Merseyside Police', 'Merseyside Police')).toBe('Merseyside Police');
    expect(besideForce('NCPI 2018', 'Merseyside Police')).toBe('NCPI 2018');
    expect(besideForce('Merseysiders NCPI', 'Merseyside Police')).toBe('Merseysiders NCPI');
  });
});
