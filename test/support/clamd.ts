// A private clamd for the tests: a free loopback port, a temporary DatabaseDirectory holding only the EICAR signature
// (no internet needed).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLAMD_BINARY = '/usr/sbin/clamd';

/** The EICAR test file's MD5 signature line (md5:size:name), all the database these tests need. */
export const EICAR_SIGNATURE = '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature';

export interface PrivateClamd {
  url: string;
  port: number;
  /** Stops the daemon (the port stays reserved for `start`). */
  stop(): Promise<void>;
  /** Starts it again on the same port, resolving once it answers PING. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** PING → PONG over clamd's TCP socket. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('zPING\0'));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('end', () => resolve(answer.includes('PONG')));
    socket.on('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startClamd(): Promise<PrivateClamd> {
  if (!existsSync(CLAMD_BINARY)) throw new Error(`${CLAMD_BINARY} is not installed (Debian's clamav-daemon)`);
  const dir = await mkdtemp(join(tmpdir(), 'clamd-'));
  const port = await freePort();
  await writeFile(join(dir, 'test.hdb'), `${EICAR_SIGNATURE}\n`);
  const config = join(dir, 'clamd.conf');
  await writeFile(
    config,
    [
      `TCPSocket ${port}`,
      'TCPAddr 127.0.0.1',
      'Foreground yes',
      `DatabaseDirectory ${dir}`,
      `PidFile ${join(dir, 'clamd.pid')}`,
      'LogFile /dev/null',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(CLAMD_BINARY, ['-c', config], { stdio: 'ignore' });
    const started = Date.now();
    while (!(await ping(port))) {
      if (child.exitCode !== null) throw new Error(`clamd exited with ${child.exitCode}`);
      if (Date.now() - started > 60_000) throw new Error('clamd did not answer within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `tcp://127.0.0.1:${port}`,
    port,
    stop,
    start,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
