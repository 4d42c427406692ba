// The domain is plain TypeScript: it may use luxon (date arithmetic) and nothing from a framework.
module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      severity: 'error',
      comment: 'libs/domain decides; it must not import NestJS, TypeORM, BullMQ, nodemailer or any other layer',
      from: { path: '^libs/domain/' },
      to: { pathNot: ['^libs/domain/', 'luxon', 'date-holidays', '^node:', 'crypto'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
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
    exclude: { path: '\\.spec\\.ts$' },
  },
};
