import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { createDataSource, runMigrationsSafely } from './data-source.js';

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
          await runMigrationsSafely(ds);
        } catch (err) {
          await ds.destroy();
          throw err;
        }
        return ds;
      },
    },
  ],
  exports: [DataSource],
})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
