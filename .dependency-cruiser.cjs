// The layering of docs/architecture.md, checked by `npm run lint:deps`; test/integration/dependency-rules.test.ts
// shows each rule failing on a deliberate violation. Paths are relative to the repository root.
module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      severity: 'error',
      comment: 'libs/domain decides; it may use luxon and date-holidays, never NestJS, TypeORM, BullMQ, nodemailer or another folder',
      from: { path: '^libs/domain/' },
      to: { pathNot: ['^libs/domain/', 'luxon', 'date-holidays', '^node:', 'crypto'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'apps-do-not-import-each-other',
      severity: 'error',
      comment: 'the api and the worker share code only through libs/',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-and-config-import-no-app-or-script',
      severity: 'error',
      comment: 'apps and scripts are entry points: dependencies point inwards, never from a lib or config out to them',
      from: { path: '^(libs|config)/' },
      to: { path: '^(apps|scripts)/' },
    },
    {
      name: 'adapters-and-foundations-do-not-import-application',
      severity: 'error',
      comment:
        'persistence and notifications are what the application stands on, auth, observability and config sit below it. ' +
        'libs/scheduling implements the ports the application declares (NotificationScheduler, AuditSequencerKick), so it may import them.',
      from: { path: '^(libs/(persistence|notifications|auth|observability)|config)/' },
      to: { path: '^libs/application/' },
    },
    {
      name: 'tables-are-declared-only-in-persistence',
      severity: 'error',
      comment: 'entities and migrations are read by other folders only through what #persistence exports',
      from: { pathNot: '^libs/persistence/' },
      to: { path: '^libs/persistence/src/(entities|migrations)/' },
    },
    {
      name: 'only-persistence-connects-to-postgres',
      severity: 'error',
      comment:
        'the pg driver is opened by libs/persistence (and the local tooling in scripts/); everyone else reaches PostgreSQL ' +
        'through #persistence: runInTransaction, the entities for TypeORM repositories and query builders, the audit log',
      from: { pathNot: '^(libs/persistence|scripts)/' },
      to: { path: '(^|/)node_modules/(pg|pg-[a-z-]+)/' },
    },
    {
      name: 'no-typeorm-below-application',
      severity: 'error',
      comment: 'notifications, scheduling, auth, observability and config know nothing of storage',
      from: { path: '^(libs/(notifications|scheduling|auth|observability)|config)/' },
      to: { path: '(^|/)node_modules/typeorm/' },
    },
    {
      name: 'other-folders-through-their-alias',
      severity: 'error',
      comment:
        'an import into another lib or config uses its #alias (package.json "imports"), never a relative path into its ' +
        'files: a folder is known by what its index exports',
      from: { path: '^((?:apps|libs)/[^/]+|config|scripts)/' },
      to: { path: '^(libs/[^/]+|config)/', pathNot: '^$1/', dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // The #aliases of package.json "imports": the "types" condition names each folder's source index.
    enhancedResolveOptions: { conditionNames: ['types', 'import', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
