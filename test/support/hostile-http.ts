// Raw HTTP for hostile-request tests: large and cut-off bodies, /health probed from another process with percentiles,
// page sessions by cookie, a process's RSS, and the web-session keys in Redis.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './api-harness.js';

export interface RawAnswer {
  /** 0 when the connection was closed before an answer arrived. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  /** Written in 64 KB slices as the server takes them. */
  body?: Buffer;
  /** Destroy the connection after this many body bytes (a client that goes away mid-upload). */
  cutAfter?: number;
  timeoutMs?: number;
}

/** One request by node:http, resolving with the answer (or status 0 if the server closed first); never rejects. */
export function raw(url: string, options: RawRequest = {}): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (answer: Omit<RawAnswer, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...answer, ms: performance.now() - started });
    };
    const headers = { ...options.headers };
    if (options.body && !headers['content-length']) headers['content-length'] = String(options.body.length);
    const req = request(
      url,
      { method: options.method ?? 'POST', headers, timeout: options.timeoutMs ?? 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk.length + text.length < 200_000 ? chunk : ''));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', () => done({ status: 0, headers: {}, body: '' }));
    req.on('timeout', () => req.destroy());
    const body = options.body;
    if (!body) return void req.end();
    const limit = options.cutAfter ?? body.length;
    let offset = 0;
    const pump = () => {
      while (offset < limit && !req.destroyed) {
        const slice = body.subarray(offset, Math.min(limit, offset + 65_536));
        offset += slice.length;
        if (!req.write(slice)) return void req.once('drain', pump);
      }
      if (req.destroyed) return;
      if (options.cutAfter !== undefined) setTimeout(() => req.destroy(), 50);
      else req.end();
    };
    pump();
  });
}

/**
 * A multipart/form-data body of `parts` (text fields, or files when `filename` is given); `truncate` leaves off the
 * closing boundary.
 */
export function multipartBody(
  parts: { name: string; value: string | Buffer; filename?: string }[],
  truncate = false,
): { body: Buffer; contentType: string } {
  const boundary = `----hostile${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
    const type = part.filename !== undefined ? 'Content-Type: text/csv\r\n' : '';
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`),
      Buffer.from(part.value),
      Buffer.from('\r\n'),
    );
  }
  if (!truncate) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The probe loop of `startHealthProbe`, run in a process of its own so that the test's own work does not delay it. */
const PROBE_SCRIPT = `
const [url, every] = [process.argv[1], Number(process.argv[2])];
const times = [];
let stop = false;
process.stdin.on('data', () => (stop = true));
const probe = async () => {
  const started = performance.now();
  const ok = await fetch(url, { signal: AbortSignal.timeout(10000) }).then(async (r) => (await r.arrayBuffer(), r.status === 200)).catch(() => false);
  return ok ? performance.now() - started : 10000;
};
(async () => {
  // The first requests load fetch and open the connection: not counted.
  for (let i = 0; i < 3; i++) await probe();
  process.stderr.write('ready\\n');
  while (!stop) {
    times.push(await probe());
    await new Promise((r) => setTimeout(r, every));
  }
  process.stdout.write(JSON.stringify(times));
  process.exit(0);
})();
`;

/**
 * Probes GET /health every `everyMs` from a separate Node process (a loaded test process would otherwise
 * measure its own event loop); `stop()` ends it and gives each answer's time in ms (a failure counts as 10 s).
 */
export async function startHealthProbe(baseUrl: string, everyMs = 20): Promise<{ stop(): Promise<number[]> }> {
  const child = spawn(process.execPath, ['-e', PROBE_SCRIPT, `${baseUrl}/health`, String(everyMs)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '' },
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve) => {
    child.stderr.once('data', () => resolve());
    void exited.then(resolve);
  });
  return {
    async stop() {
      child.stdin.end('stop\n');
      await exited;
      return JSON.parse(out || '[]') as number[];
    },
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Resident memory of a process, in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.replace(/\D+/g, '') ?? 0) / 1024);
}

/** How many web sessions the API has stored in Redis under `queuePrefix`. */
export async function sessionKeyCount(queuePrefix: string): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:web-session:*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  } finally {
    redis.disconnect();
  }
}

/** The `name=value` pairs of an answer's Set-Cookie headers. */
export function cookiesSet(headers: Headers | RawAnswer['headers']): string[] {
  const list = headers instanceof Headers ? headers.getSetCookie() : [headers['set-cookie'] ?? []].flat();
  return list.map((c) => c.split(';')[0]);
}

const hiddenCsrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** Signs in through the page form as a browser would; returns the session cookie (`followup.sid=…`). */
export async function pageSignIn(baseUrl: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${baseUrl}/sign-in`, { headers: { accept: 'text/html' } });
  // Whatever the sign-in page set (its form cookie) goes back with the post, as a browser would send it.
  const formCookie = cookiesSet(form.headers).join('; ');
  const token = hiddenCsrf(await form.text());
  if (!token) throw new Error(`the sign-in page gave no CSRF token (${form.status})`);
  const posted = await fetch(`${baseUrl}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      cookie: formCookie,
      'sec-fetch-site': 'same-origin',
    },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  await posted.arrayBuffer();
  const session = cookiesSet(posted.headers).find((c) => c.startsWith('followup.sid='));
  if (posted.status !== 303 || !session) throw new Error(`page sign-in answered ${posted.status}`);
  return session;
}

/** A signed-in page's CSRF token (its first hidden `_csrf` field). */
export async function pageCsrfToken(baseUrl: string, path: string, sessionCookie: string): Promise<string> {
  const page = await fetch(`${baseUrl}${path}`, { headers: { accept: 'text/html', cookie: sessionCookie } });
  const token = hiddenCsrf(await page.text());
  if (page.status !== 200 || !token) throw new Error(`${path} answered ${page.status} without a CSRF token`);
  return token;
}
