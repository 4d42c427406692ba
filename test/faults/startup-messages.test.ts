// What a person starting the built processes is told: on Node.js 20 one line naming the version needed (not a
// segmentation fault, exit 139); an invalid setting or an unreachable database, one paragraph (what, which variable,
// what to do), never a stack trace. Spawns dist/ with Debian's Node.js 20 (/usr/bin/node) and with Node.js 24.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { freePort } from '../../scripts/local-services.js';
import { API_ENTRY, WORKER_ENTRY } from '../support/worker-process.js';

const NODE_20 = '/usr/bin/node';
const START_LOCAL = fileURLToPath(new URL('../../dist/scripts/start-local.js', import.meta.url));

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(node: string, entry: string, env: Record<string, string> = {}): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Only what is given (and PATH): no settings leak in from the test's own environment.
    const child = spawn(node, [entry], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const paragraph = (text: string) => text.trim().split('\n');

describe('start-up messages', () => {
  it('has Node.js 20 at /usr/bin/node and the built entry points to run', async () => {
    const version = await new Promise<string>((resolve) => {
      const child = spawn(NODE_20, ['--version']);
      let out = '';
      child.stdout.on('data', (c) => (out += String(c)));
      child.on('close', () => resolve(out.trim()));
    });
    expect(version).toMatch(/^v20\./);
    for (const entry of [API_ENTRY, WORKER_ENTRY, START_LOCAL]) expect(existsSync(entry)).toBe(true);
  });

  // Before the fix each of these died with a segmentation fault (exit 139, no output).
  it.each([
    ['the API', API_ENTRY],
    ['the worker', WORKER_ENTRY],
    ['npm start', START_LOCAL],
  ])('%s on Node.js 20: one line naming the version needed, exit 1', async (_name, entry) => {
    const outcome = await run(NODE_20, entry);
    expect({ code: outcome.code, signal: outcome.signal, stdout: outcome.stdout }).toEqual({
      code: 1,
      signal: null,
      stdout: '',
    });
    expect(paragraph(outcome.stderr)).toEqual([
      expect.stringMatching(
        /^Follow-up Tracker needs Node\.js 22\.12 or later \(24 LTS recommended\), but \/usr\/bin\/node is Node\.js 20\.\d+\.\d+: /,
      ),
    ]);
  });

  it.each([
    ['The API', API_ENTRY, { PORT: 'eighty' }, 'PORT'],
    ['The worker', WORKER_ENTRY, { DB_POOL_SIZE: 'lots', MAIL_FROM: 'not-an-email' }, 'DB_POOL_SIZE, MAIL_FROM'],
  ])(
    '%s with an invalid setting: one paragraph naming it and what to do, no stack trace',
    async (who, entry, env, variables) => {
      const outcome = await run(process.execPath, entry, env);
      expect(outcome.code).toBe(1);
      const lines = paragraph(outcome.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^${who} cannot start: its configuration is invalid\\. .+ To fix it, set ${variables} in the environment \\(README\\.md's configuration table`,
        ),
      );
      expect(outcome.stderr + outcome.stdout).not.toMatch(/\n\s+at |Error:/);
    },
  );

  it.each([
    ['The API', API_ENTRY],
    ['The worker', WORKER_ENTRY],
  ])(
    '%s with no database there: one paragraph naming DATABASE_URL and what to do, no password, no stack trace',
    async (who, entry) => {
      const port = await freePort();
      const outcome = await run(process.execPath, entry, {
        DATABASE_URL: `postgres://followup:hunter2-secret@127.0.0.1:${port}/followup`,
      });
      expect(outcome.code).toBe(1);
      expect(paragraph(outcome.stderr)).toEqual([
        `${who} cannot start: it cannot reach its PostgreSQL database at 127.0.0.1:${port}, database followup (DATABASE_URL): nothing accepts connections there. To fix it, start PostgreSQL, or set DATABASE_URL to the server to use (postgres://user:password@host:5432/database), then start it again.`,
      ]);
      expect(outcome.stderr + outcome.stdout).not.toMatch(/hunter2|\n\s+at /);
    },
  );

  it('names a database that does not exist, and says to create it', async () => {
    const outcome = await run(process.execPath, API_ENTRY, {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/no_such_database_t16',
    });
    expect(outcome.code).toBe(1);
    expect(paragraph(outcome.stderr)).toEqual([
      expect.stringContaining(
        'database no_such_database_t16 (DATABASE_URL): that database does not exist. To fix it, create it (createdb)',
      ),
    ]);
  });
});
