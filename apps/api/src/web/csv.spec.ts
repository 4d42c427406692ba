import { describe, expect, it } from '@jest/globals';
import { csvStream, spreadsheetSafe } from './csv.js';

async function* pagesOf<T>(...pages: T[][]): AsyncGenerator<T[]> {
  for (const page of pages) yield page;
}

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

describe('CSV downloads', () => {
  it.each([
    ['=HYPERLINK("x")', `'=HYPERLINK("x")`],
    ['+44', `'+44`],
    ['-1', `'-1`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\t=1', `'\t=1`],
    ['Merseyside', 'Merseyside'],
    [12, '12'],
    [null, ''],
  ])('neutralises %p as %p', (value, expected) => {
    expect(spreadsheetSafe(value)).toBe(expected);
  });

  it('writes a header, then every page, quoting what needs it', async () => {
    const columns = [
      { header: 'Reference', value: (r: { ref: string; n: number }) => r.ref },
      { header: 'Days overdue', value: (r: { ref: string; n: number }) => r.n },
    ];
    const csv = await text(csvStream(columns, pagesOf([{ ref: '1', n: 3 }], [{ ref: 'a, "b"', n: 4 }, { ref: '=cmd', n: 5 }])));
    expect(csv).toBe('\ufeffReference,Days overdue\n1,3\n"a, ""b""",4\n\'=cmd,5\n');
  });
});
