// Every source file opens with a line saying what it is for: a comment, before any import or code.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

/** Files the repository tracks that hold code; generated types say what they are in their own banner. */
function sourceFiles(): string[] {
  const tracked = execFileSync('git', ['ls-files', '*.ts', '*.js', '*.cjs', '*.mjs'], { encoding: 'utf8' });
  return tracked.split('\n').filter((path) => path !== '');
}

describe('source files', () => {
  it('each open with a comment saying what the file is for', () => {
    const files = sourceFiles();
    const withoutHeader = files.filter((path) => !/^(\/\/|\/\*|#!)/.test(readFileSync(path, 'utf8')));
    expect(files.length).toBeGreaterThan(300);
    expect(withoutHeader).toEqual([]);
  });
});
