// Unit tests of the CSV downloads: spreadsheet-safe cells and rows.
import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import type { Response } from 'express';
import { neutraliseCell, sendCsvColumns } from './csv.js';

describe('CSV cells', () => {
  it.each(['=1+1', '+44 151', '-2', '@SUM(A1)', '\tx', '\rx'])('neutralises %p', (value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
  });

  it('leaves other text, numbers and empty cells alone', () => {
    expect(neutraliseCell('Merseyside Police')).toBe('Merseyside Police');
    expect(neutraliseCell(12)).toBe('12');
    expect(neutraliseCell(null)).toBe('');
  });

  it('streams rows of objects by their columns, neutralising each cell', async () => {
    const body = new PassThrough();
    let text = '';
    body.on('data', (chunk) => (text += String(chunk)));
    const res = Object.assign(body, { status: () => res, type: () => res, setHeader: () => res }) as unknown as Response;
    async function* pages() {
      yield [{ ref: '1', days: 3 }];
      yield [{ ref: 'a, "b"', days: 4 }, { ref: '=cmd', days: 5 }];
    }
    const columns = [
      { header: 'Reference', value: (r: { ref: string; days: number }) => r.ref },
      { header: 'Days overdue', value: (r: { ref: string; days: number }) => r.days },
    ];
    await sendCsvColumns(res, 'x.csv', columns, pages());
    expect(text).toBe('\ufeffReference,Days overdue\n1,3\n"a, ""b""",4\n\'=cmd,5\n');
  });
});
