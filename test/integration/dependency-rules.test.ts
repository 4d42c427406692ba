// Each dependency rule of .dependency-cruiser.cjs fails on a deliberate violation, and allows what the layering allows.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const repo = process.cwd();
const configFile = path.join(repo, '.dependency-cruiser.cjs');
const ruleNames: string[] = (
  createRequire(import.meta.url)(configFile) as { forbidden: { name: string }[] }
).forbidden.map((r) => r.name);

/**
 * A miniature of the repository: the folders the rules name, the same package.json "imports", and one
 * file per violation (its name says which). The clean files use what the layering allows.
 */
const FILES: Record<string, string> = {
  'libs/domain/src/index.ts': `import { DateTime } from 'luxon';\nexport const today = () => DateTime.now();\n`,
  'libs/domain/src/uses-nest.ts': `import { Injectable } from '@nestjs/common';\nexport const decorator = Injectable;\n`,
  'config/index.ts': `import { today } from '#domain';\nexport const config = { today };\n`,
  'libs/persistence/src/index.ts': `import pg from 'pg';\nexport { UserEntity } from './entities/user.entity.js';\nexport const driver = pg;\n`,
  'libs/persistence/src/entities/user.entity.ts': `import { Entity } from 'typeorm';\nexport const UserEntity = Entity;\n`,
  'libs/persistence/src/imports-application.ts': `import { service } from '#application';\nexport const uses = service;\n`,
  'libs/application/src/index.ts': `import { UserEntity } from '#persistence';\nexport const service = { UserEntity };\n`,
  'libs/application/src/types-an-entity-manager.ts': `import type { EntityManager } from 'typeorm';\nexport type Db = EntityManager;\n`,
  'libs/application/src/reads-entity-file.ts': `import { UserEntity } from '../../persistence/src/entities/user.entity.js';\nexport const entity = UserEntity;\n`,
  'libs/application/src/opens-pg.ts': `import pg from 'pg';\nexport const client = pg.Client;\n`,
  'libs/scheduling/src/index.ts': `import { service } from '#application';\nexport const port = service;\n`,
  'libs/scheduling/src/uses-typeorm.ts': `import { DataSource } from 'typeorm';\nexport const source = DataSource;\n`,
  'libs/notifications/src/imports-api.ts': `import { api } from '../../../apps/api/main.js';\nexport const app = api;\n`,
  'libs/auth/src/cycle-a.ts': `import { b } from './cycle-b.js';\nexport const a = () => b;\n`,
  'libs/auth/src/cycle-b.ts': `import { a } from './cycle-a.js';\nexport const b = () => a;\n`,
  'apps/api/main.ts': `import { service } from '#application';\nimport { config } from '#config';\nexport const api = { service, config };\n`,
  'apps/api/imports-worker.ts': `import { worker } from '../worker/main.js';\nexport const both = worker;\n`,
  'apps/api/src/shared/csv.ts': `export const csv = 'a,b';\n`,
  'apps/api/src/shared/reads-page.ts': `import { page } from '../web/page.js';\nexport const shared = page;\n`,
  'apps/api/src/web/page.ts': `import { csv } from '../shared/csv.js';\nexport const page = csv;\n`,
  'apps/api/src/web/imports-api.ts': `import { route } from '../http/route.js';\nexport const both = route;\n`,
  'apps/api/src/http/route.ts': `import { csv } from '../shared/csv.js';\nexport const route = csv;\n`,
  'apps/api/src/http/imports-page.ts': `import { page } from '../web/page.js';\nexport const both = page;\n`,
  'apps/worker/main.ts': `import { port } from '#scheduling';\nexport const worker = port;\n`,
  'scripts/seed.ts': `import pg from 'pg';\nimport { today } from '#domain';\nexport const seed = { pg, today };\n`,
  'scripts/deep-import.ts': `import { today } from '../libs/domain/src/index.js';\nexport const deep = today;\n`,
};

/** What the cruise must report, as `rule: from → to`; nothing else. */
const EXPECTED = [
  'domain-is-framework-free: libs/domain/src/uses-nest.ts → @nestjs/common',
  'apps-do-not-import-each-other: apps/api/imports-worker.ts → apps/worker/main.ts',
  'pages-and-api-apart: apps/api/src/web/imports-api.ts → apps/api/src/http/route.ts',
  'pages-and-api-apart: apps/api/src/http/imports-page.ts → apps/api/src/web/page.ts',
  'shared-serves-pages-and-api: apps/api/src/shared/reads-page.ts → apps/api/src/web/page.ts',
  'libs-and-config-import-no-app-or-script: libs/notifications/src/imports-api.ts → apps/api/main.ts',
  'adapters-and-foundations-do-not-import-application: libs/persistence/src/imports-application.ts → libs/application/src/index.ts',
  'tables-are-declared-only-in-persistence: libs/application/src/reads-entity-file.ts → libs/persistence/src/entities/user.entity.ts',
  'other-folders-through-their-alias: libs/application/src/reads-entity-file.ts → libs/persistence/src/entities/user.entity.ts',
  'only-persistence-connects-to-postgres: libs/application/src/opens-pg.ts → pg',
  'only-persistence-knows-typeorm: libs/application/src/types-an-entity-manager.ts → typeorm',
  'only-persistence-knows-typeorm: libs/scheduling/src/uses-typeorm.ts → typeorm',
  'other-folders-through-their-alias: scripts/deep-import.ts → libs/domain/src/index.ts',
  // A cycle is reported once, at its first module.
  'no-circular: libs/auth/src/cycle-a.ts → libs/auth/src/cycle-b.ts',
];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** npm packages by name, so the expectations do not depend on each package's layout. */
const target = (resolved: string): string =>
  /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(resolved)?.[1] ?? resolved;

describe('dependency rules (npm run lint:deps)', () => {
  let dir: string;
  let reported: string[];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dependency-rules-'));
    const { imports } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { imports: unknown };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'miniature', type: 'module', imports }));
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' } }),
    );
    symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    const cruise = spawnSync(
      process.execPath,
      [
        path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        '--config',
        configFile,
        '--output-type',
        'json',
        'libs',
        'apps',
        'config',
        'scripts',
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (!cruise.stdout) throw new Error(`dependency-cruiser printed nothing: ${cruise.stderr}`);
    const { summary } = JSON.parse(cruise.stdout) as { summary: { violations: Violation[] } };
    reported = summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${target(v.to)}`).sort();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each deliberate violation under its rule, and nothing the layering allows', () => {
    expect(reported).toEqual([...EXPECTED].sort());
  });

  it('shows every rule of the configuration failing at least once', () => {
    const shown = new Set(EXPECTED.map((line) => line.slice(0, line.indexOf(':'))));
    expect(ruleNames.filter((name) => !shown.has(name))).toEqual([]);
  });
});

describe('the #aliases (package.json "imports", the one place they are declared)', () => {
  const { imports } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
    imports: Record<string, { types: string; default: string }>;
  };

  it.each(Object.entries(imports))(
    '%s names one module: its source for TypeScript and jest, its build for Node',
    (_alias, target) => {
      expect(target.default).toBe(target.types.replace(/^\.\//, './dist/').replace(/\.ts$/, '.js'));
      expect(existsSync(path.join(repo, target.types))).toBe(true);
    },
  );
});
