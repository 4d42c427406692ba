// The built API (`dist/apps/api/main.js`) as a real child process on a free port, for tests that need the production
// process: several sharing one Redis, another time zone, a database a test takes away.
import { freePort } from '../../scripts/local-services.js';
import { spawnApi, type WorkerProcess } from './worker-process.js';
import { waitUntil } from './wait.js';

export { freePort };

export interface ApiProcess {
  baseUrl: string;
  process: WorkerProcess;
}

/**
 * Spawns the API with `env` (NODE_ENV=test, LOG_LEVEL=warn, no required two-factor and links to itself unless `env`
 * says otherwise) on a free
 * port and waits until GET /health answers 200; a process that exits first, or is not healthy within
 * `timeoutMs`, is killed and the error carries its last output. Stop it with killAllWorkers() or a signal.
 */
export async function startApiProcess(
  name: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ApiProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Two-factor sign-in off unless a test asks for it (as in the in-process harness): these tests sign in with
  // passwords.
  const child = spawnApi(name, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    APP_BASE_URL: baseUrl,
    MFA_REQUIRED_ROLES: 'none',
    ...env,
    PORT: String(port),
  });
  try {
    const healthy = async () =>
      (await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.status === 200;
    await waitUntil(`API ${name} healthy`, async () => !child.running() || (await healthy()), timeoutMs);
    if (!child.running()) throw new Error(`API ${name} exited before it was healthy`);
  } catch (err) {
    if (child.running()) child.child.kill('SIGKILL');
    await child.exited;
    throw new Error(`${(err as Error).message}\n${child.tail()}`, { cause: err });
  }
  return { baseUrl, process: child };
}

/**
 * Stops the process as a supervisor would (SIGTERM) and waits until it has exited; nothing to do if it is not running.
 */
export async function stopApiProcess(api: ApiProcess | undefined): Promise<void> {
  if (!api?.process.running()) return;
  api.process.child.kill('SIGTERM');
  await api.process.exited;
}
