// Guards the shape a newcomer relies on: the six files architecture.md names exist, and no dispatch stage outgrows a
// page.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

const root = new URL('../../../../', import.meta.url);

describe('the dispatch pipeline, as docs/architecture.md shows it', () => {
  it('names at most six files from POST /inspections to the SMTP server, and they exist', () => {
    const doc = readFileSync(new URL('docs/architecture.md', root), 'utf8');
    const section = doc.slice(
      doc.indexOf('## A deadline, from recommendation to email'),
      doc.indexOf('\n1. **Derived.**'),
    );
    const files = [...section.matchAll(/^\| \d \| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(6);
    for (const file of files) expect(existsSync(new URL(file, root))).toBe(true);
  });

  it('keeps every stage under 150 lines', () => {
    const dir = new URL('apps/worker/src/dispatch/', root);
    const long = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .map((f) => ({ f, lines: readFileSync(new URL(f, dir), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 150);
    expect(long).toEqual([]);
  });
});
