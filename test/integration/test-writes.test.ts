// No test writes into a tracked path (the README's screenshots once were): outputs go under test-output/ (git-ignored)
// or a temporary folder.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

/** The string literals in an expression: 'a', "b", `c` and the fixed start of `d/${e}`. */
const LITERALS = /(['"`])([^'"`$]*)(?:\1|(?=\$))/g;
/**
 * A call that writes a file (or makes a folder for one), and the rest of its line: every path it names, a copy's
 * destination too.
 */
const WRITES =
  /(?:writeFileSync|writeFile|appendFileSync|createWriteStream|copyFileSync|cpSync|renameSync|mkdirSync|\.screenshot)\(([^;\n]*)/g;

describe('test outputs', () => {
  it('never name a path the repository tracks (docs/images, README, sources): only ignored or temporary ones', () => {
    // This file names the old offence as an example: it is the one file not scanned.
    const files = execFileSync('git', ['ls-files', 'test/*.ts', 'bench/*.ts'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f !== '' && f !== 'test/integration/test-writes.test.ts');
    const tracked = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const isTracked = (literal: string) => {
      const relative = literal.replace(/^\.\//, '').replace(/\/$/, '');
      return relative !== '' && tracked.some((t) => t === relative || t.startsWith(`${relative}/`));
    };
    const offenders: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(WRITES)) {
        // Every string literal in the path expression: path.resolve('docs/images/x.png'), `docs/${name}`, ...
        const literals = [...match[1].matchAll(LITERALS)].map((m) => m[2]);
        // A tracked path: one with a folder in it (docs/images/x.png), or a tracked file named as the whole first
        // argument (writeFileSync('README.md', ...)); a bare name joined under a temporary folder is not one.
        const named = (literal: string) =>
          literal.includes('/') ||
          match[1].trimStart().startsWith(`'${literal}'`) ||
          match[1].trimStart().startsWith(`"${literal}"`);
        if (literals.some((literal) => named(literal) && isTracked(literal)))
          offenders.push(`${file}: ${match[0].trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('would catch the screenshot that once overwrote the README image', () => {
    const old = "await page.screenshot({ path: path.resolve('docs/images/dashboard.png'), fullPage: true });";
    const literals = [...old.matchAll(WRITES)].flatMap((m) => [...m[1].matchAll(LITERALS)].map((l) => l[2]));
    expect(literals).toEqual(['docs/images/dashboard.png']);
    const copied = "copyFileSync(path.join(SCREENSHOTS, 'x.png'), 'docs/images/overdue-list-phone-390.png');";
    expect([...copied.matchAll(WRITES)].flatMap((m) => [...m[1].matchAll(LITERALS)].map((l) => l[2]))).toEqual([
      'x.png',
      'docs/images/overdue-list-phone-390.png',
    ]);
    expect(execFileSync('git', ['ls-files', 'docs/images/dashboard.png'], { encoding: 'utf8' }).trim()).toBe(
      'docs/images/dashboard.png',
    );
  });
});
