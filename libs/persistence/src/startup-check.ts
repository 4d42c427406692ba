// What a person starting a process is told when it cannot start: an invalid setting or an unreachable database, as one
// paragraph.
import pg from 'pg';
import { ConfigError, loadConfig } from '#config';

const CONNECT_TIMEOUT_MS = 5_000;

/** The server and database a URL names, without its user or password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}, database ${decodeURIComponent(u.pathname.slice(1)) || '(none)'}`;
  } catch {
    return 'the address given';
  }
}

/** Why a connection failed, in words, and what to do about it. */
function reasonAndRemedy(error: unknown, variable: string): [string, string] {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return ['nothing accepts connections there', `start PostgreSQL, or set ${variable} to the server to use`];
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return ['no such host', `correct the host name in ${variable}`];
    case '28P01':
    case '28000':
      return ['it refused the user name or password', `correct the user and password in ${variable}`];
    case '3D000':
      return ['that database does not exist', `create it (createdb), or name an existing one in ${variable}`];
    default:
      return [
        /timeout/i.test(e.message ?? '')
          ? `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`
          : (e.message ?? String(error)),
        `check that PostgreSQL is running and that ${variable} names it`,
      ];
  }
}

async function databaseProblem(who: string, url: string, variable: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    const [reason, remedy] = reasonAndRemedy(error, variable);
    return `${who} cannot start: it cannot reach its PostgreSQL database at ${where(url)} (${variable}): ${reason}. To fix it, ${remedy} (postgres://user:password@host:5432/database), then start it again.`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Checks the settings and the database before the process builds anything: one paragraph naming what is
 * wrong, which variable, and what to do, or null when it may start. Other failures still throw as they are.
 */
export async function startupProblem(who: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const variables = [...new Set(error.problems.map((p) => p.split(':')[0]))];
    return `${who} cannot start: its configuration is invalid. ${error.problems.map((p) => p.replace(/^[^:]+: /, '')).join('; ')}. To fix it, set ${variables.join(', ')} in the environment (README.md's configuration table lists every setting, its default and what it takes), then start it again.`;
  }
  return (
    (await databaseProblem(who, config.env.DATABASE_URL, 'DATABASE_URL')) ??
    (config.env.DATABASE_MIGRATION_URL
      ? await databaseProblem(who, config.env.DATABASE_MIGRATION_URL, 'DATABASE_MIGRATION_URL')
      : null)
  );
}
