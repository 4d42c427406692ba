// A private clamd for `npm start` when ClamAV is installed (as PostgreSQL and Redis are started), or one line saying
// uploads will be marked unscanned.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { repoRoot, type LocalService } from './local-services.js';

const PRIVATE_CLAMD_PORT = 33100;
/** Debian's and Homebrew's places for the daemon, then PATH. */
const CLAMD_CANDIDATES = ['/usr/sbin/clamd', '/usr/local/sbin/clamd', '/opt/homebrew/sbin/clamd'];
/** Where freshclam keeps real signatures. */
const SYSTEM_DATABASE = '/var/lib/clamav';
/** The EICAR test file's signature: enough to see a file found infected, with no internet. */
const EICAR_SIGNATURE = '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function findClamd(): string | undefined {
  const inPath = (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'clamd'));
  return [...CLAMD_CANDIDATES, ...inPath].find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function clamdAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('zPING\0'));
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('data', (c) => (reply += c.toString()));
    socket.on('close', () => resolve(reply.includes('PONG')));
    socket.on('error', () => resolve(false));
  });
}

export interface LocalScanner extends LocalService {
  /** The settings that go to the API and the worker: CLAMAV_URL, or EVIDENCE_SCAN=off. */
  env: Record<string, string>;
}

/**
 * CLAMAV_URL when set; else a private clamd (real signatures when freshclam has fetched some, otherwise only
 * EICAR's) on 127.0.0.1:33100; else scanning off, said in one line.
 */
export async function ensureClamd(opts: { log?: (line: string) => void } = {}): Promise<LocalScanner> {
  const log = opts.log ?? console.log;
  const none = async () => {};
  if (process.env.CLAMAV_URL || process.env.EVIDENCE_SCAN === 'off')
    return { url: process.env.CLAMAV_URL ?? '', env: {}, stop: none };
  const url = `tcp://127.0.0.1:${PRIVATE_CLAMD_PORT}`;
  if (await clamdAnswers(PRIVATE_CLAMD_PORT)) return { url, env: { CLAMAV_URL: url }, stop: none };
  const bin = findClamd();
  if (!bin) {
    log(
      'ClamAV (clamd) not found: evidence uploads will be marked unscanned (Debian/Ubuntu: sudo apt-get install clamav-daemon)',
    );
    return { url: '', env: { EVIDENCE_SCAN: 'off' }, stop: none };
  }
  const dir = path.join(repoRoot(), '.local', 'clamd');
  mkdirSync(dir, { recursive: true });
  const real = existsSync(SYSTEM_DATABASE) && readdirSync(SYSTEM_DATABASE).some((f) => /\.(cvd|cld)$/.test(f));
  const database = real ? SYSTEM_DATABASE : path.join(dir, 'db');
  if (!real) {
    mkdirSync(database, { recursive: true });
    writeFileSync(path.join(database, 'test.hdb'), `${EICAR_SIGNATURE}\n`);
  }
  const config = path.join(dir, 'clamd.conf');
  writeFileSync(
    config,
    [
      `TCPSocket ${PRIVATE_CLAMD_PORT}`,
      'TCPAddr 127.0.0.1',
      'Foreground yes',
      `DatabaseDirectory ${database}`,
      `LogFile ${path.join(dir, 'clamd.log')}`,
      '',
    ].join('\n'),
  );
  log(
    `Starting private clamd on ${url} (${real ? `signatures in ${SYSTEM_DATABASE}` : 'only the EICAR test signature: run freshclam for real ones'})`,
  );
  const out = openSync(path.join(dir, 'clamd.out'), 'a');
  const child = spawn(bin, ['-c', config], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  let exited = false;
  child.on('exit', () => (exited = true));
  // Real signatures take a while to load; scans wait in their queue meanwhile (files say pending), so do not hold up
  // the start.
  for (let i = 0; i < 100 && !exited && !(await clamdAnswers(PRIVATE_CLAMD_PORT)); i++) await sleep(100);
  if (exited) {
    log(`clamd did not start (see ${path.join(dir, 'clamd.log')}): evidence uploads will be marked unscanned`);
    return { url: '', env: { EVIDENCE_SCAN: 'off' }, stop: none };
  }
  return {
    url,
    env: { CLAMAV_URL: url },
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
    },
  };
}
