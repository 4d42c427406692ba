import { describe, expect, it } from '@jest/globals';
import { spreadsheetSafe } from './spreadsheet-safe.js';

describe('spreadsheetSafe', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+44 151', "'+44 151"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['Review = custody', 'Review = custody'],
    ['', ''],
  ])('%j becomes %j', (value, expected) => {
    expect(spreadsheetSafe(value)).toBe(expected);
  });

  it('writes empty cells for null, and dates as ISO 8601', () => {
    expect(spreadsheetSafe(null)).toBe('');
    expect(spreadsheetSafe(new Date('2019-02-28T00:00:00Z'))).toBe('2019-02-28T00:00:00.000Z');
  });
});
