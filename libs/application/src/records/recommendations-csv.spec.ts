// Reading an uploaded CSV of recommendations: encodings, refusals named by row.
import { describe, expect, it } from '@jest/globals';
import { refusalDetails } from '../../../../test/support/domain-expectations.js';
import { readRecommendationsCsv } from './recommendations-csv.js';

const refusal = (file: Buffer | string): readonly string[] => refusalDetails(() => readRecommendationsCsv(file));

describe('readRecommendationsCsv', () => {
  it('reads UTF-8 with a byte-order mark, CRLF lines and quoted fields that span lines', () => {
    const text =
      '\uFEFFreference,text,area\r\n1,"Review the operating model\r\nof the teams, ""immediately""",Managing offenders\r\n2,Zoë\'s plan,\r\n';
    const rows = readRecommendationsCsv(Buffer.from(text, 'utf8'));
    expect(rows.map((r) => [r.row, r.reference, r.text, r.area])).toEqual([
      [2, '1', 'Review the operating model\r\nof the teams, "immediately"', 'Managing offenders'],
      [3, '2', "Zoë's plan", null],
    ]);
  });

  it('numbers rows as a spreadsheet does, even after a field spanning lines', () => {
    expect(refusal('reference,text,due date\n1,"two\nlines",2019-02-28\n2,ok,31/02/2019\n')).toEqual([
      'Row 3: due date "31/02/2019" is not a date',
    ]);
  });

  it('refuses bytes that are not UTF-8, and an unclosed quote, saying where', () => {
    expect(refusal(Buffer.from([0x72, 0x65, 0x66, 0xff, 0x0a]))).toEqual([
      'the file is not UTF-8 text: save it as "CSV UTF-8"',
    ]);
    expect(refusal('reference,text\n1,"never closed\n')[0]).toMatch(/^the file is not valid CSV near line \d+: /);
  });
});
