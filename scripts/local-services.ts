// Local PostgreSQL, Redis and a mail catcher for `npm start` (and tests), so that a person trying the
// tracker needs nothing configured. Each function prefers what the environment names, then the usual
// local service, and only then starts a private one that its `stop()` shuts down again.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, chownSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

export interface LocalService {
  url: string;
  /** Stops the service if this process started it; a no-op for services it only found. */
  stop(): Promise<void>;
}
export interface MailCatcher extends LocalService {
  /** Folder the caught messages are written to, or undefined when SMTP_URL names a real server. */
  dir?: string;
}
export interface ServiceOptions {
  /** Skip the environment and the usual local service: start the private one (for tests). */
  forcePrivate?: boolean;
  log?: (line: string) => void;
}

/**
 * Runs a command to completion. detached (own session): Ctrl+C in the terminal must not reach a service we
 * start before the API and worker have stopped using it.
 */
function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(cmd)} ${args[0] ?? ''} exited ${code}: ${output.trim()}`)),
    );
  });
}
const noop = async (): Promise<void> => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The folder holding package.json, found from this file so that src (jest) and dist (node) agree. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
const localDir = (...parts: string[]) => path.join(repoRoot(), '.local', ...parts);

/** A TCP port on 127.0.0.1 that nothing listens on just now (the system picks it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
function findInPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------- PostgreSQL

export const PG_NOT_FOUND =
  'PostgreSQL not found: install it (Debian/Ubuntu: sudo apt-get install postgresql; macOS: brew install postgresql) or set DATABASE_URL';
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432';
const PRIVATE_PG_PORT = 54329;
const DB_NAME = 'followup';

async function canConnect(url: string): Promise<Error | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    await client.end().catch(() => {});
  }
}

async function createDatabaseIfMissing(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres`, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name}"`);
  } catch (err) {
    // Two processes starting at once: the other one created it first.
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

/** initdb and pg_ctl: from PATH, else Debian's versioned folders (newest first). */
function findPgBinaries(): { initdb: string; pgCtl: string } | undefined {
  const initdb = findInPath('initdb');
  const pgCtl = findInPath('pg_ctl');
  if (initdb && pgCtl) return { initdb, pgCtl };
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (isExecutable(path.join(bin, 'initdb')) && isExecutable(path.join(bin, 'pg_ctl'))) {
      return { initdb: path.join(bin, 'initdb'), pgCtl: path.join(bin, 'pg_ctl') };
    }
  }
  return undefined;
}

/**
 * Where a private cluster lives and how to run its commands: PostgreSQL refuses to run as root. `name`
 * tells clusters apart: `postgres` is `npm start`'s; tests that restart PostgreSQL make their own.
 */
function privateClusterLayout(name: string): { dataDir: string; logFile: string; asUser: string[] } {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) {
    mkdirSync(localDir(), { recursive: true });
    return { dataDir: localDir(name), logFile: localDir(`${name}.log`), asUser: [] };
  }
  let pgUid: number, pgGid: number;
  try {
    pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    pgGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error("PostgreSQL refuses to run as root and there is no 'postgres' user to run it as: set DATABASE_URL");
  }
  const base = name === 'postgres' ? `/tmp/followup-pg-${uid}` : `/tmp/followup-${name}-${uid}`;
  mkdirSync(base, { recursive: true, mode: 0o700 });
  // /tmp is shared: never chown through a link someone else planted.
  if (lstatSync(base).isSymbolicLink()) throw new Error(`${base} is a symbolic link: remove it`);
  chownSync(base, pgUid, pgGid);
  return {
    dataDir: path.join(base, 'data'),
    logFile: path.join(base, 'postgres.log'),
    asUser: ['runuser', '-u', 'postgres', '--'],
  };
}

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>` (no database). */
  serverUrl: string;
  port: number;
  dataDir: string;
  start(): Promise<void>;
  /** `fast` closes sessions cleanly; `immediate` is a crash (recovery from the WAL at the next start). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
}

/** A cluster of this repo's own in `name`'s folder on `port`, created on first use, started by start(). */
export async function privatePostgres(opts: {
  name: string;
  port: number;
  log?: (line: string) => void;
  settings?: string[];
}): Promise<PrivatePostgres> {
  const log = opts.log ?? console.log;
  const bins = findPgBinaries();
  if (!bins) throw new Error(PG_NOT_FOUND);
  const { dataDir, logFile, asUser } = privateClusterLayout(opts.name);
  const pgRun = (file: string, args: string[]) => {
    const [cmd, ...rest] = [...asUser, file, ...args];
    return run(cmd, rest);
  };
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`Creating a private PostgreSQL cluster in ${dataDir}`);
    await pgRun(bins.initdb, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  }
  const settings = (opts.settings ?? []).map((s) => ` -c ${s}`).join('');
  return {
    serverUrl: `postgres://postgres@127.0.0.1:${opts.port}`,
    port: opts.port,
    dataDir,
    async start() {
      const running = await pgRun(bins.pgCtl, ['status', '-D', dataDir]).then(
        () => true,
        () => false,
      );
      if (running) return;
      log(`Starting private PostgreSQL on 127.0.0.1:${opts.port} (log: ${logFile})`);
      const args = `-p ${opts.port} -k '${dataDir}' -c listen_addresses=127.0.0.1${settings}`;
      try {
        await pgRun(bins.pgCtl, ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', args]);
      } catch (err) {
        throw new Error(`private PostgreSQL did not start (see ${logFile}): ${(err as Error).message}`, { cause: err });
      }
    },
    async stop(mode = 'fast') {
      await pgRun(bins.pgCtl, ['stop', '-w', '-m', mode, '-D', dataDir]).catch(() => {});
    },
  };
}

async function startPrivateCluster(log: (line: string) => void): Promise<LocalService> {
  const cluster = await privatePostgres({ name: 'postgres', port: PRIVATE_PG_PORT, log });
  await cluster.start();
  await createDatabaseIfMissing(cluster.serverUrl, DB_NAME);
  // The folder is this repo's alone, so whoever ensured it may stop it, even one left by a crashed run.
  return { url: `${cluster.serverUrl}/${DB_NAME}`, stop: () => cluster.stop('fast') };
}

export async function ensurePostgres(opts: ServiceOptions = {}): Promise<LocalService> {
  const log = opts.log ?? console.log;
  if (!opts.forcePrivate) {
    if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: noop };
    const failure = await canConnect(`${DEFAULT_PG}/postgres`);
    if (!failure) {
      await createDatabaseIfMissing(DEFAULT_PG, DB_NAME);
      return { url: `${DEFAULT_PG}/${DB_NAME}`, stop: noop };
    }
    log(`No usable PostgreSQL at 127.0.0.1:5432 (${failure.message}); starting a private one`);
  }
  return startPrivateCluster(log);
}

// --------------------------------------------------------------------------------------------------- Redis

export const REDIS_NOT_FOUND =
  'Redis not found: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL';
const PRIVATE_REDIS_PORT = 63790;

/** One inline command over a raw socket: no client library retrying in the background. */
function redisCommand(port: number, command: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => socket.destroy(new Error('timeout')), timeoutMs);
    let reply = '';
    socket.on('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) socket.end();
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply.trim());
    });
  });
}
const redisAnswers = (port: number) =>
  redisCommand(port, 'PING').then(
    (r) => r === '+PONG',
    () => false,
  );

export interface PrivateRedis {
  url: string;
  port: number;
  /** Starts it (empty: nothing is saved) unless it already answers. */
  start(): Promise<void>;
  /** SHUTDOWN NOSAVE: every key is gone. */
  stop(): Promise<void>;
}

/** A Redis of this repo's own on `port` that keeps nothing on disk, logging into `dir`. */
export function privateRedis(opts: { port: number; dir: string; log?: (line: string) => void }): PrivateRedis {
  const log = opts.log ?? console.log;
  const { port, dir } = opts;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await redisCommand(port, 'SHUTDOWN NOSAVE').catch(() => {});
      for (let i = 0; i < 50 && (await redisAnswers(port)); i++) await sleep(100);
    },
    async start() {
      if (await redisAnswers(port)) return; // left running by an earlier run
      const bin = findInPath('redis-server');
      if (!bin) throw new Error(REDIS_NOT_FOUND);
      mkdirSync(dir, { recursive: true });
      log(`Starting private Redis on 127.0.0.1:${port} (log: ${path.join(dir, 'redis.log')})`);
      const out = openSync(path.join(dir, 'redis.log'), 'a');
      const args = [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'noeviction',
        '--dir',
        dir,
      ];
      const child = spawn(bin, args, { detached: true, stdio: ['ignore', out, out] });
      child.unref();
      let exited = false;
      child.on('exit', () => (exited = true));
      for (let i = 0; i < 100; i++) {
        if (await redisAnswers(port)) return;
        if (exited) break;
        await sleep(100);
      }
      child.kill();
      throw new Error(`private Redis did not start: see ${path.join(dir, 'redis.log')}`);
    },
  };
}

export async function ensureRedis(opts: ServiceOptions = {}): Promise<LocalService> {
  const log = opts.log ?? console.log;
  if (!opts.forcePrivate) {
    if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: noop };
    if (await redisAnswers(6379)) return { url: 'redis://127.0.0.1:6379', stop: noop };
  }
  const redis = privateRedis({ port: PRIVATE_REDIS_PORT, dir: localDir('redis'), log });
  await redis.start();
  return { url: redis.url, stop: () => redis.stop() };
}

// -------------------------------------------------------------------------------------------- Mail catcher

/** RFC 2047 encoded words (nodemailer encodes non-ASCII subjects), assumed UTF-8 as nodemailer writes them. */
function decodeHeader(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?[^?]+\?([bBqQ])\?([^?]*)\?=/g, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}
function headerOf(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line === undefined ? undefined : decodeHeader(line.slice(name.length + 1).trim());
}

async function saveMail(dir: string, raw: Buffer, kind: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${stamp}${n > 1 ? `-${n}` : ''}-${kind}.eml`);
    try {
      await writeFile(file, raw, { flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
  }
}

export async function startMailCatcher(
  opts: ServiceOptions & { port?: number; dir?: string } = {},
): Promise<MailCatcher> {
  const log = opts.log ?? console.log;
  if (!opts.forcePrivate && process.env.SMTP_URL) return { url: process.env.SMTP_URL, stop: noop };
  const dir = opts.dir ?? localDir('mail');
  mkdirSync(dir, { recursive: true });

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 2000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        const kind = (headerOf(text, 'X-Followup-Kind') ?? 'mail').replace(/[^a-z0-9_-]/gi, '') || 'mail';
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        saveMail(dir, raw, kind).then(
          () => {
            log(`mail to ${to}: ${headerOf(text, 'Subject') ?? '(no subject)'}`);
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onError);
        const address = server.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  let port: number;
  try {
    port = await listen(opts.port ?? 2525);
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    port = await listen(0); // 2525 is taken (another run?): any free port will do, the URL says which
  }
  server.on('error', (err) => log(`mail catcher: ${err.message}`));
  return { url: `smtp://127.0.0.1:${port}`, dir, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
