// The layering of docs/architecture.md, checked by `npm run lint:deps`; test/integration/dependency-rules.test.ts
// shows each rule failing on a deliberate violation. Paths are relative to the repository root.
const forbid = (name, comment, from, to) => ({ name, severity: 'error', comment, from, to });
const NPM = (name) => `(^|/)node_modules/${name}/`;

module.exports = {
  forbidden: [
    forbid(
      'domain-is-framework-free',
      'libs/domain decides; it may use luxon and date-holidays, never NestJS, TypeORM, BullMQ, nodemailer or another folder',
      { path: '^libs/domain/' },
      { pathNot: ['^libs/domain/', 'luxon', 'date-holidays', '^node:', 'crypto'], dependencyTypesNot: ['type-only'] },
    ),
    forbid(
      'apps-do-not-import-each-other',
      'the api and the worker share code only through libs/',
      { path: '^apps/([^/]+)/' },
      { path: '^apps/', pathNot: '^apps/$1/' },
    ),
    // What pages and the JSON API both need (DTOs and validation, body readers, CSV, negotiation, sign-in) is in
    // apps/api/src/shared.
    forbid(
      'pages-and-api-apart',
      'apps/api/src/web (pages) and apps/api/src/http (JSON API) never import each other: what both need lives in apps/api/src/shared',
      { path: '^apps/api/src/(web|http)/' },
      { path: '^apps/api/src/(web|http)/', pathNot: '^apps/api/src/$1/' },
    ),
    forbid(
      'shared-serves-pages-and-api',
      'apps/api/src/shared is below the pages and the API: it imports neither',
      { path: '^apps/api/src/shared/' },
      { path: '^apps/api/src/(web|http)/' },
    ),
    forbid(
      'libs-and-config-import-no-app-or-script',
      'apps and scripts are entry points: nothing points out to them',
      { path: '^(libs|config)/' },
      { path: '^(apps|scripts)/' },
    ),
    // libs/scheduling implements the ports the application declares (NotificationScheduler, AuditSequencerKick), so it
    // may import them.
    forbid(
      'adapters-and-foundations-do-not-import-application',
      'persistence and notifications are what the application stands on; auth, observability and config sit below it',
      { path: '^(libs/(persistence|notifications|auth|observability|evidence)|config)/' },
      { path: '^libs/application/' },
    ),
    forbid(
      'tables-are-declared-only-in-persistence',
      'entity and migration files are read through what #persistence exports',
      { pathNot: '^libs/persistence/' },
      { path: '^libs/persistence/src/(entities|migrations)/' },
    ),
    forbid(
      'only-persistence-connects-to-postgres',
      'the pg driver is opened by libs/persistence and the local tooling in scripts/',
      { pathNot: '^(libs/persistence|scripts)/' },
      { path: NPM('(pg|pg-[a-z-]+)') },
    ),
    // Type-only imports count too: an EntityManager in a signature is storage leaking out. SQL text is kept in by
    // test/integration/sql-in-persistence.test.ts.
    forbid(
      'only-persistence-knows-typeorm',
      'the application and the apps reach storage through Storage and its repositories (#persistence); TypeORM stays behind them',
      { pathNot: '^(libs/persistence|scripts)/' },
      { path: NPM('typeorm') },
    ),
    // A folder is known by what its index exports.
    forbid(
      'other-folders-through-their-alias',
      'an import into another lib or config uses its #alias (package.json "imports"), never a relative path into its files',
      { path: '^((?:apps|libs)/[^/]+|config|scripts)/' },
      { path: '^(libs/[^/]+|config)/', pathNot: '^$1/', dependencyTypesNot: ['aliased'] },
    ),
    forbid('no-circular', 'a cycle makes load order matter', {}, { circular: true }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // The #aliases of package.json "imports": the "types" condition names each folder's source index.
    enhancedResolveOptions: {
      conditionNames: ['types', 'import', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    exclude: { path: '\\.spec\\.ts$' },
  },
};
