// Unit tests of the CSV downloads: spreadsheet-safe cells and rows.
import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { Response } from 'express';
import { neutraliseCell, sendCsvColumns } from './csv.js';

describe('CSV cells', () => {
  it.each(['=1+1', '+44 151', '-2', '@SUM(A1)', '\tx', '\rx'])('neutralises %p', (value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
  });

  it.each([
    ['a;=1+1', "a;'=1+1"],
    ['Done; -2 officers', "Done;' -2 officers"],
    ['x;@SUM(A1);+1', "x;'@SUM(A1);'+1"],
    [';=HYPERLINK("http://evil")', ';\'=HYPERLINK("http://evil")'],
    ['  =1+1', "'  =1+1"],
  ])('neutralises %p as a spreadsheet splitting on ; would read it', (value, expected) => {
    expect(neutraliseCell(value)).toBe(expected);
  });

  it('leaves other text, numbers and empty cells alone', () => {
    expect(neutraliseCell('Custody; children')).toBe('Custody; children');
    expect(neutraliseCell('Merseyside Police')).toBe('Merseyside Police');
    expect(neutraliseCell(12)).toBe('12');
    expect(neutraliseCell(null)).toBe('');
  });

  it('streams rows of objects by their columns, neutralising each cell', async () => {
    const body = new PassThrough();
    let text = '';
    body.on('data', (chunk) => (text += String(chunk)));
    const res = Object.assign(body, {
      status: () => res,
      type: () => res,
      setHeader: () => res,
    }) as unknown as Response;
    async function* pages() {
      yield [{ ref: '1', days: 3 }];
      yield [
        { ref: 'a, "b"', days: 4 },
        { ref: '=cmd', days: 5 },
      ];
    }
    const columns = [
      { header: 'Reference', value: (r: { ref: string; days: number }) => r.ref },
      { header: 'Days overdue', value: (r: { ref: string; days: number }) => r.days },
    ];
    await sendCsvColumns(res, 'x.csv', columns, pages());
    expect(text).toBe('\ufeffReference,Days overdue\n1,3\n"a, ""b""",4\n\'=cmd,5\n');
  });

  it('leaves no cell that a spreadsheet splitting on , or ; would read as a formula', async () => {
    const body = new PassThrough();
    let text = '';
    body.on('data', (chunk) => (text += String(chunk)));
    const res = Object.assign(body, {
      status: () => res,
      type: () => res,
      setHeader: () => res,
    }) as unknown as Response;
    async function* pages() {
      yield [{ ref: "a;=cmd|' /C calc'!A0" }, { ref: 'b,;@SUM(1)' }, { ref: 'c;d' }];
    }
    await sendCsvColumns(res, 'x.csv', [{ header: 'Reference', value: (r: { ref: string }) => r.ref }], pages());
    const lines = text.replace('\ufeff', '').trim().split('\n').slice(1);
    // Cells with a `;` are quoted, so a `;` spreadsheet keeps them whole; split naively, no part starts a formula
    // either.
    expect(lines).toEqual([`"a;'=cmd|' /C calc'!A0"`, `"b,;'@SUM(1)"`, '"c;d"']);
    for (const separator of [',', ';']) {
      for (const part of lines.flatMap((line) => line.split(separator)))
        expect(part.replace(/^"/, '')).not.toMatch(/^ *[=+\-@\t\r]/);
    }
  });
});
