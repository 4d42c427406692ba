// The persistence module: the process's one DataSource, migrated by the schema owner before anything uses it.
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { createDataSource, runMigrationsSafely } from './data-source.js';
import { grantApplicationRole } from './roles.js';
import { Storage } from './store/storage.js';

/**
 * Applies pending migrations as the schema owner (DATABASE_MIGRATION_URL, else DATABASE_URL itself).
 * When the owner is another role than the application's, it then grants the application's role what
 * it may do (see grantApplicationRole), so that role can never change or remove an audit row.
 */
async function migrateAsOwner(config: AppConfig, app: DataSource): Promise<void> {
  if (config.migrationDatabaseUrl === config.env.DATABASE_URL) {
    await runMigrationsSafely(app);
    return;
  }
  const owner = createDataSource(config.migrationDatabaseUrl, { poolSize: 1, applicationName: 'followup-migrations' });
  await owner.initialize();
  try {
    await runMigrationsSafely(owner);
    const [[{ role: appRole }], [{ role: ownerRole }]] = (await Promise.all([
      app.query(`SELECT current_user AS role`),
      owner.query(`SELECT current_user AS role`),
    ])) as Array<Array<{ role: string }>>;
    if (appRole !== ownerRole) await grantApplicationRole(owner, appRole);
  } finally {
    await owner.destroy();
  }
}

/**
 * The process's one DataSource, injectable by its class. Pending migrations are applied before anything
 * else can use it; several processes starting at once apply them once (see runMigrationsSafely).
 */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<DataSource> => {
        const ds = createDataSource(config.env.DATABASE_URL, { poolSize: config.env.DB_POOL_SIZE });
        await ds.initialize();
        try {
          await migrateAsOwner(config, ds);
        } catch (err) {
          await ds.destroy();
          throw err;
        }
        return ds;
      },
    },
    Storage,
  ],
  exports: [DataSource, Storage],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
