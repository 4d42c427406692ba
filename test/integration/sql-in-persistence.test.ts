// Only libs/persistence holds SQL: the application and the apps ask its repositories (the TypeORM half is a dependency
// rule).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

/** A statement or clause as it is written in a query, or a raw query call. Prose in comments rarely has this shape. */
const SQL =
  /\b(SELECT\s+(\*|DISTINCT\b|[a-z_]+\.[a-z_*]+|count\(|coalesce\()|INSERT\s+INTO\s+\w|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\s+\w|ON\s+CONFLICT\b|\bWHERE\s+\w+(\.\w+)?\s*(=|<|>|IN\b|IS\b))|\.(query|createQueryBuilder)\(/;

/** Each line of `text` that holds SQL, as `line: text`. */
function sqlLines(text: string): string[] {
  return text.split('\n').flatMap((line, i) => (SQL.test(line) ? [`${i + 1}: ${line.trim()}`] : []));
}

/** Code the build ships outside persistence (specs, tests, benchmarks and local scripts may talk to the database). */
function shippedOutsidePersistence(): string[] {
  const tracked = execFileSync('git', ['ls-files', 'apps', 'libs', 'config'], { encoding: 'utf8' }).split('\n');
  return tracked.filter(
    (path) => /\.ts$/.test(path) && !/\.spec\.ts$/.test(path) && !path.startsWith('libs/persistence/'),
  );
}

describe('SQL', () => {
  it('is recognised in the shapes the repositories write it, and not in prose', () => {
    expect(sqlLines('const rows = await db.query(`SELECT r.id FROM recommendations r`);')).toHaveLength(1);
    expect(sqlLines('  `INSERT INTO audit_events (at) VALUES ($1)`')).toHaveLength(1);
    expect(sqlLines("where.add('r.next_deadline_at < ?1', now); // WHERE r.status IN ('closed')")).toHaveLength(1);
    expect(sqlLines('repo.createQueryBuilder("u")')).toHaveLength(1);
    expect(sqlLines('// Select the recommendations a person may see, then update their view.')).toEqual([]);
  });

  it('is written only in libs/persistence', () => {
    const files = shippedOutsidePersistence();
    const found = files.flatMap((path) => sqlLines(readFileSync(path, 'utf8')).map((line) => `${path}:${line}`));
    expect(files.length).toBeGreaterThan(150);
    expect(found).toEqual([]);
  });
});
