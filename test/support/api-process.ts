// The built API (`dist/apps/api/main.js`) as a real child process, for tests that need several API processes sharing one Redis.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { spawnBuilt, type WorkerProcess } from './worker-process.js';

export const API_ENTRY = fileURLToPath(new URL('../../dist/apps/api/main.js', import.meta.url));

export interface ApiProcess {
  baseUrl: string;
  process: WorkerProcess;
}

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns the API with `env` on a free port and waits until GET /health answers 200. Stop it with killAllWorkers(). */
export async function startApiProcess(name: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawnBuilt(API_ENTRY, name, { NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env, PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/health`).catch(() => undefined);
    if (response?.status === 200) return { baseUrl, process: child };
    if (!child.running()) throw new Error(`API ${name} exited before it was healthy\n${child.tail()}`);
    if (Date.now() > deadline) throw new Error(`API ${name} was not healthy within ${timeoutMs} ms\n${child.tail()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
