// Spreadsheet rows to recommendations: columns, timeframes, dates and errors named by row.
import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../errors/domain-error.js';
import { refusalDetails } from '../../../../test/support/domain-expectations.js';
import { normaliseTimeframe, parseImportDate, readImportRows } from './import-rows.js';

const errorsOf = (records: string[][]): readonly string[] => refusalDetails(() => readImportRows(records));

describe('readImportRows', () => {
  it('reads the columns in any order, with optional ones empty or absent', () => {
    const rows = readImportRows([
      ['Priority', 'Due Date', 'TEXT', 'reference', 'area', 'timeframe'],
      ['yes', '28/02/2019', 'Review custody', '1', 'Custody', ''],
      ['', '', 'Improve recording', '2', '', '3 months'],
      ['no', '2019-03-31', 'Publish a plan', '3', ' ', 'immediately'],
    ]);
    expect(rows).toEqual([
      {
        row: 2,
        reference: '1',
        text: 'Review custody',
        timeframe: null,
        dueAt: new Date('2019-02-28T00:00:00Z'),
        priority: true,
        area: 'Custody',
      },
      {
        row: 3,
        reference: '2',
        text: 'Improve recording',
        timeframe: 'P3M',
        dueAt: null,
        priority: undefined,
        area: null,
      },
      {
        row: 4,
        reference: '3',
        text: 'Publish a plan',
        timeframe: 'immediately',
        dueAt: new Date('2019-03-31T00:00:00Z'),
        priority: false,
        area: null,
      },
    ]);
  });

  it('names every bad row and column as a spreadsheet numbers them, blank rows counted but skipped', () => {
    expect(
      errorsOf([
        ['reference', 'text', 'due date', 'priority', 'timeframe'],
        ['1', 'Fine', '2019-02-28', 'yes', ''],
        ['', '', '', '', ''],
        ['2', 'Bad date', '31/02/2019', 'maybe', 'soonish'],
        ['1', '', '', '', ''],
      ]),
    ).toEqual([
      'Row 4: timeframe "soonish" is not a timeframe (immediately, 3 months, P3M)',
      'Row 4: due date "31/02/2019" is not a date',
      'Row 4: priority "maybe" is not yes or no',
      'Row 5: text is empty',
      'Row 5: reference "1" is already used in row 2',
    ]);
  });

  it('refuses unknown, missing and repeated columns in the header row', () => {
    expect(
      errorsOf([
        ['reference', 'Reference', 'owner'],
        ['1', '1', 'x'],
      ]),
    ).toEqual([
      'Row 1: column "reference" appears twice',
      'Row 1: column "owner" is not one of: reference, text, timeframe, due date, priority, area',
      'Row 1: the header has no "text" column',
    ]);
  });

  it('refuses a file with a header only, and a row with more cells than columns', () => {
    expect(errorsOf([['reference', 'text']])).toEqual([
      'the file has no recommendations: one row per recommendation under the header row',
    ]);
    expect(
      errorsOf([
        ['reference', 'text'],
        ['1', 'a', 'stray'],
      ]),
    ).toEqual(['Row 2: has 3 cells but the header names 2 columns']);
  });

  it('refuses values longer than the API accepts', () => {
    expect(
      errorsOf([
        ['reference', 'text'],
        ['x'.repeat(41), 'a'],
      ]),
    ).toEqual(['Row 2: reference is longer than 40 characters']);
  });
});

describe('normaliseTimeframe and parseImportDate', () => {
  it.each([
    ['immediately', 'immediately'],
    ['Immediately', 'immediately'],
    ['P3M', 'P3M'],
    ['p6w', 'P6W'],
    ['3 months', 'P3M'],
    ['within six weeks', 'P6W'],
    ['1 year', 'P1Y'],
    ['', null],
  ])('%s is %s', (text, expected) => {
    expect(normaliseTimeframe(text)).toBe(expected);
  });

  it.each(['three', 'P', 'P3X', '0 months', 'soon'])('%s is not a timeframe', (text) => {
    expect(() => normaliseTimeframe(text)).toThrow(DomainError);
  });

  it('reads both date forms as the start of that day in London, and refuses days that do not exist', () => {
    expect(parseImportDate('2019-07-01')).toEqual(new Date('2019-06-30T23:00:00Z'));
    expect(parseImportDate('1/7/2019')).toEqual(new Date('2019-06-30T23:00:00Z'));
    for (const bad of ['31/02/2019', '2019-02-29', '2019-13-01', '28-02-2019', '02/28/2019'])
      expect(() => parseImportDate(bad)).toThrow(DomainError);
  });
});
