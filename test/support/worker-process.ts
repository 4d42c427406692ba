// The built worker and API (`dist/apps/*/main.js`) as real child processes, for tests that signal them (SIGKILL
// mid-fan-out, SIGTERM) or take their database and Redis away; their output is kept for diagnostics.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const WORKER_ENTRY = fileURLToPath(new URL('../../dist/apps/worker/main.js', import.meta.url));
export const API_ENTRY = fileURLToPath(new URL('../../dist/apps/api/main.js', import.meta.url));

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds since the process was spawned. */
  afterMs: number;
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  startedAt: number;
  /** Output lines (stdout and stderr interleaved as they arrived). */
  lines: string[];
  /** Resolves once the process has exited, however it ended. */
  exited: Promise<WorkerExit>;
  running(): boolean;
  /** Resolves with the first output line matching `pattern`; rejects on exit or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** The last `n` lines, prefixed with the worker's name, each cut to 600 characters. */
  tail(n?: number): string;
}

const live = new Set<WorkerProcess>();

/**
 * Spawns the worker with exactly `env` (plus PATH/HOME): nothing leaks from the test process, in
 * particular not jest's NODE_OPTIONS.
 */
export function spawnWorker(name: string, env: Record<string, string>): WorkerProcess {
  return spawnBuilt(WORKER_ENTRY, name, env);
}

/** The API the same way; it listens on env.PORT. */
export function spawnApi(name: string, env: Record<string, string>): WorkerProcess {
  return spawnBuilt(API_ENTRY, name, env);
}

/** Any built entry point (the worker, the API) as a child process, with exactly `env` as above. */
export function spawnBuilt(entry: string, name: string, env: Record<string, string>): WorkerProcess {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`);
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TZ: process.env.TZ ?? 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${name}`);
  const startedAt = Date.now();
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        for (const listener of listeners) listener(line);
      }
    });
    stream.on('end', () => {
      if (partial) lines.push(partial);
    });
  }
  const exited = new Promise<WorkerExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, afterMs: Date.now() - startedAt }));
  });

  const worker: WorkerProcess = {
    name,
    child,
    pid: child.pid,
    startedAt,
    lines,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    waitForLine(pattern, timeoutMs = 20_000) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(onLine);
        };
        const onLine = (line: string) => {
          if (!pattern.test(line)) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms\n${worker.tail()}`));
        }, timeoutMs);
        listeners.add(onLine);
        void exited.then((exit) => {
          if (!listeners.has(onLine)) return;
          done();
          reject(
            new Error(`${name} exited (${JSON.stringify(exit)}) before a line matching ${pattern}\n${worker.tail()}`),
          );
        });
      });
    },
    tail(n = 40) {
      return lines
        .slice(-n)
        .map((l) => `[${name}] ${l.length > 600 ? `${l.slice(0, 600)}…` : l}`)
        .join('\n');
    },
  };
  live.add(worker);
  void exited.then(() => live.delete(worker));
  return worker;
}

/** SIGKILLs every process this module spawned that is still running, and waits for them to go. */
export async function killAllWorkers(): Promise<void> {
  const running = [...live].filter((w) => w.running());
  for (const w of running) w.child.kill('SIGKILL');
  await Promise.all(running.map((w) => Promise.race([w.exited, new Promise((r) => setTimeout(r, 5_000).unref())])));
}
