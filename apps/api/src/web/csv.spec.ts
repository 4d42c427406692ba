import { describe, expect, it } from '@jest/globals';
import { neutraliseCell } from './csv.js';

describe('CSV cells', () => {
  it.each(['=1+1', '+44 151', '-2', '@SUM(A1)', '\tx', '\rx'])('neutralises %p', (value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
  });

  it('leaves other text, numbers and empty cells alone', () => {
    expect(neutraliseCell('Merseyside Police')).toBe('Merseyside Police');
    expect(neutraliseCell(12)).toBe('12');
    expect(neutraliseCell(null)).toBe('');
  });
});
