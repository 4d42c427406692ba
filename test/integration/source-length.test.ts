// Every source file under apps/, libs/ and config/ stays within 300 lines: past that, split it by what its parts do.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

/** The house limit on a source file's length, in lines. */
const MAX_LINES = 300;

/** TypeScript files the repository tracks under apps/, libs/ and config/. */
function sourceFiles(): string[] {
  const tracked = execFileSync('git', ['ls-files', 'apps', 'libs', 'config'], { encoding: 'utf8' });
  return tracked.split('\n').filter((path) => path.endsWith('.ts'));
}

/** Lines in `text`, a final newline not counting as the start of another (as `wc -l` counts them). */
function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source files', () => {
  it('count lines as wc -l does', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb')).toBe(2);
  });

  it(`each hold at most ${MAX_LINES} lines`, () => {
    const files = sourceFiles();
    const tooLong = files.flatMap((path) => {
      const lines = lineCount(readFileSync(path, 'utf8'));
      return lines > MAX_LINES ? [`${path}: ${lines} lines`] : [];
    });
    expect(files.length).toBeGreaterThan(300);
    expect(tooLong).toEqual([]);
  });
});
