// The repository stands on its own: nothing it tracks points at files outside it (the contracts live in
// docs/contracts/), and comments and test names state the rule they keep rather than citing a ticket number.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from '@jest/globals';

const THIS_FILE = 'test/integration/self-contained.test.ts';

/** Text files the repository tracks (images, fonts and the lock file are not prose anyone reads). */
function trackedText(patterns: string[]): string[] {
  const tracked = execFileSync('git', ['ls-files', ...patterns], { encoding: 'utf8' });
  return tracked
    .split('\n')
    .filter((path) => path !== '' && path !== THIS_FILE && path !== 'package-lock.json')
    .filter((path) => !/\.(png|jpe?g|gif|ico|woff2?|pdf|zip|gz)$/i.test(path));
}

/** The shared folder beside the working copies, by absolute path. */
const ABSOLUTE_OUTSIDE = /\/work\/shared\b/;
/** A relative path through a folder named `shared` (the repository has its own, apps/api/src/shared). */
const RELATIVE_SHARED = /(?:\.\.\/)+shared\/[\w./-]*/g;

/** Whether a line names a file outside the repository: an absolute path there, or a relative one that climbs out. */
function pointsOutside(path: string, line: string): boolean {
  if (ABSOLUTE_OUTSIDE.test(line)) return true;
  return [...line.matchAll(RELATIVE_SHARED)].some((match) =>
    posix.join(posix.dirname(path), match[0]).startsWith('..'),
  );
}
const OUTSIDE = { test: (line: string, path: string) => pointsOutside(path, line) };

/**
 * A ticket cited instead of a rule: "issue 16", "defect 5", "(issue 17, point 11)", "bug #12", a task tag such as
 * "t17b", or a bare "#16" after a space or bracket. Not "PKCS#8", a colour "#0b0c0c" or a URL to an upstream issue.
 */
const TICKET =
  /\b(?:issues?|defects?|bugs?)\s*#?\d+\b|\(\s*points?\s+\d+|\bt1\d[a-z]\b|(?:^|[\s(])#\d{1,4}\b(?![0-9a-f])/im;

function offenders(files: string[], pattern: { test: (line: string, path: string) => boolean }): string[] {
  return files.flatMap((path) =>
    readFileSync(path, 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        pattern.test(line, path) ? [`${path}:${index + 1}: ${line.trim().slice(0, 100)}`] : [],
      ),
  );
}

describe('the repository is self-contained', () => {
  it('has the contracts it cites in docs/contracts/', () => {
    const contracts = trackedText(['docs/contracts/*.md']);
    expect(contracts).toEqual(
      expect.arrayContaining([
        'docs/contracts/api-contract.md',
        'docs/contracts/web-contract.md',
        'docs/contracts/domain.md',
        'docs/contracts/stack-notes.md',
      ]),
    );
  });

  it('points at no file outside itself', () => {
    const files = trackedText(['*']);
    expect(files.length).toBeGreaterThan(300);
    expect(offenders(files, OUTSIDE)).toEqual([]);
  });

  it('states rules in its code comments and test names rather than citing ticket numbers', () => {
    const files = trackedText(['*.ts', '*.js', '*.cjs', '*.mjs', '*.njk', '*.css']);
    expect(offenders(files, TICKET)).toEqual([]);
  });

  it('recognises a cited ticket and leaves look-alikes alone', () => {
    const cited = [
      '// Hostile load (issue 16): parallel',
      "describe('uploads (defect 2)'",
      '/* fits (point 11) */',
      'see #16',
      '(t17b)',
    ];
    const fine = [
      'PKCS#8 DER prefix',
      'color: #0b0c0c;',
      'color: #1d70b8',
      'https://github.com/alphagov/govuk-frontend/issues/979',
      'the 2 points to',
    ];
    expect(cited.filter((line) => !TICKET.test(line))).toEqual([]);
    expect(fine.filter((line) => TICKET.test(line))).toEqual([]);
  });

  it('tells a path that climbs out of the repository from the repository’s own shared folder', () => {
    expect(pointsOutside('README.md', 'see ../shared/api-contract.md')).toBe(true);
    expect(pointsOutside('docs/web.md', 'see ../../shared/web-contract.md')).toBe(true);
    expect(pointsOutside('docs/web.md', 'see /work/shared/domain.md')).toBe(true);
    expect(
      pointsOutside('apps/api/src/http/auth.controller.ts', "import { x } from '../shared/dto/auth.dto.js';"),
    ).toBe(false);
  });
});
