// No test writes into a tracked path (the README's screenshots once were): outputs go under test-output/ (git-ignored) or a temporary folder.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

/** A call that writes a file, and its first argument (the path) up to the first comma or bracket that ends it. */
/** The string literals in an expression: 'a', "b", `c` and the fixed start of `d/${e}`. */
const LITERALS = /(['"`])([^'"`$]*)(?:\1|(?=\$))/g;
const WRITES = /(?:writeFileSync|writeFile|appendFileSync|createWriteStream|copyFileSync|renameSync|mkdirSync|\.screenshot)\(\s*(?:\{\s*path:\s*)?([^,)}]+[)]?)/g;

describe('test outputs', () => {
  it('never name a path the repository tracks (docs/images, README, sources): only ignored or temporary ones', () => {
    const files = execFileSync('git', ['ls-files', 'test/*.ts', 'bench/*.ts'], { encoding: 'utf8' }).split('\n').filter(Boolean)
      // This file names the old offence in its own example.
      .filter((f) => f !== 'test/integration/test-writes.test.ts');
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
        if (literals.some(isTracked)) offenders.push(`${file}: ${match[0].trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('would catch the screenshot that once overwrote the README image', () => {
    const old = "await page.screenshot({ path: path.resolve('docs/images/dashboard.png'), fullPage: true });";
    const literals = [...old.matchAll(WRITES)].flatMap((m) => [...m[1].matchAll(LITERALS)].map((l) => l[2]));
    expect(literals).toEqual(['docs/images/dashboard.png']);
    expect(execFileSync('git', ['ls-files', 'docs/images/dashboard.png'], { encoding: 'utf8' }).trim()).toBe('docs/images/dashboard.png');
  });
});
