// ESM jest with @swc/jest: NestJS 12 is ESM-only (see docs/contracts/stack-notes.md).
import { readFileSync } from 'node:fs';

// The #aliases are declared once, in package.json "imports": tests load the source each one names ("types").
const { imports } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const aliases = Object.fromEntries(
  Object.entries(imports).map(([alias, target]) => [`^${alias}$`, target.types.replace(/^\.\//, '<rootDir>/')]),
);

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];
const common = {
  transform: { '^.+\\.ts$': swc },
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    ...aliases,
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
};
export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/config/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    { ...common, displayName: 'security', testMatch: ['<rootDir>/test/security/**/*.test.ts'] },
    // The production processes (dist/) on private PostgreSQL and Redis that the tests restart: npm run build first.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/test/faults/**/*.test.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
  ],
  testTimeout: 60000,
  // Each test file makes its own database and queue prefix; two at a time suits a 2-core machine.
  maxWorkers: 2,
  // ESM test files each load the modules afresh and a worker does not give all of it back: a worker above 1 GB
  // after a file is replaced by a fresh one (one ran out of its 4 GB heap after ~80 files).
  workerIdleMemoryLimit: '1GB',
};
