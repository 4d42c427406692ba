// Fresh PostgreSQL databases for the tests (created and dropped through the server's maintenance database), migrated
// data sources, and direct SQL access.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrationsSafely } from '../../libs/persistence/src/index.js';

/** The server's maintenance database; test databases are created and dropped through it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

/** Runs `fn` with a client connected to `url` (a test database, or the server's), and closes it afterwards. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const onServer = <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => withClient(TEST_DATABASE_URL, fn);

/** Creates an empty, uniquely named database `followup_test_<random>` on TEST_DATABASE_URL's server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `followup_test_${randomBytes(6).toString('hex')}`;
  await onServer((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      await onServer((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export interface MigratedDataSource {
  ds: DataSource;
  url: string;
  /** Destroys the DataSource and drops its database (a function of its own: it needs no `this`). */
  cleanup: () => Promise<void>;
}

/** An initialized DataSource on a fresh database with every migration applied. */
export async function migratedDataSource(opts: { poolSize?: number } = {}): Promise<MigratedDataSource> {
  const db = await createTestDatabase();
  const ds = createDataSource(db.url, { poolSize: opts.poolSize ?? 5 });
  try {
    await ds.initialize();
    await runMigrationsSafely(ds);
  } catch (err) {
    if (ds.isInitialized) await ds.destroy();
    await db.drop();
    throw err;
  }
  return {
    ds,
    url: db.url,
    async cleanup() {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
    },
  };
}

/**
 * Runs statements with triggers and foreign keys off (`session_replication_role = replica`), in one
 * transaction, as someone with the database owner's access could: for tests of what tampering is found.
 * `target` is an open DataSource, or the URL of a database to connect to for this alone.
 */
export async function tamper(target: DataSource | string, ...statements: string[]): Promise<void> {
  const run = async (query: (sql: string) => Promise<unknown>) => {
    await query(`SET LOCAL session_replication_role = replica`);
    for (const s of statements) await query(s);
  };
  if (typeof target !== 'string') return target.transaction((manager) => run((sql) => manager.query(sql)));
  await withClient(target, async (client) => {
    await client.query('BEGIN');
    await run((sql) => client.query(sql));
    await client.query('COMMIT');
  });
}
