// A 200 MB evidence upload through the production API process (dist/apps/api/main.js): its resident set sampled
// throughout (flat: the file never sits in memory) and its throughput against a plain `cp` of the same file on the same
// disk
// (and `cp` then `sync`, as the store flushes each file to the disk before answering).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { deleteQueueKeys } from '#scheduling';
import { benchDatabase, REDIS_URL } from './support.js';

const MB = 1024 * 1024;
const SIZE_MB = Number(process.env.BENCH_EVIDENCE_MB ?? 200);
const API_ENTRY = fileURLToPath(new URL('../apps/api/main.js', import.meta.url));

/** CPU seconds (user + system) the process has used so far. */
const cpuOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const rssOf = (pid: number, field = 'VmRSS'): number =>
  Number(
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`))
      ?.split(/\s+/)[1] ?? 0,
  ) / 1024;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** One JSON request; the answer's body, parsed as the `T` the caller names. */
async function json<T>(base: string, method: string, route: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** What POST /auth/login answers, and the id of what a POST created: the fields this benchmark reads. */
interface Session {
  accessToken: string;
}
interface Created {
  id: string;
}

/** A PDF-looking file of `bytes` (a header, then random data) written in 1 MB blocks. */
async function makeFile(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('%PDF-1.4\n');
  for (let written = 9; written < bytes; written += MB) {
    if (!out.write(randomBytes(Math.min(MB, bytes - written)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Streams the file as one multipart part; resolves with the status and the seconds it took. */
function upload(
  base: string,
  token: string,
  recommendationId: string,
  file: string,
): Promise<{ status: number; seconds: number; body: string }> {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`${base}/recommendations/${recommendationId}/evidence/files`);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + statSync(file).size + tail.length),
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, seconds: Number(process.hrtime.bigint() - started) / 1e9, body }),
      );
    });
    req.write(head);
    const source = createReadStream(file);
    source.pipe(req, { end: false });
    source.on('end', () => req.end(tail));
  });
}

async function main(): Promise<void> {
  const db = await benchDatabase(2, { migrate: false });
  const dir = await mkdtemp(path.join(tmpdir(), 'evidence-bench-'));
  const port = await freePort();
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const base = `http://127.0.0.1:${port}`;
  const admin = { email: 'bench-admin@bench.test', password: 'bench-password-0123456789' };
  const api = spawn(process.execPath, [API_ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      JWT_SECRET: randomBytes(32).toString('hex'),
      EVIDENCE_STORE: `file://${dir}/store`,
      EVIDENCE_SCAN: 'off',
      EVIDENCE_MAX_BYTES: String((SIZE_MB + 10) * MB),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${base}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 300) throw new Error('the API did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    const { accessToken: adminToken } = await json<Session>(base, 'POST', '/auth/login', admin);
    const org = await json<Created>(
      base,
      'POST',
      '/organisations',
      { name: 'Bench Police', code: 'BENCH' },
      adminToken,
    );
    const lead = await json<Created>(
      base,
      'POST',
      '/users',
      { email: 'lead@bench.test', name: 'Lead', password: admin.password, role: 'inspector', organisationIds: [] },
      adminToken,
    );
    await json(
      base,
      'POST',
      '/users',
      {
        email: 'liaison@bench.test',
        name: 'Liaison',
        password: admin.password,
        role: 'liaison',
        organisationIds: [org.id],
      },
      adminToken,
    );
    const inspection = await json<{ recommendations: Created[] }>(
      base,
      'POST',
      '/inspections',
      {
        organisationId: org.id,
        title: 'Bench',
        programme: 'PEEL',
        publishedAt: '2026-01-01T00:00:00Z',
        leadInspectorId: lead.id,
        recommendations: [{ reference: '1', text: 'x' }],
      },
      adminToken,
    );
    const { accessToken } = await json<Session>(base, 'POST', '/auth/login', {
      email: 'liaison@bench.test',
      password: admin.password,
    });

    const file = path.join(dir, 'big.pdf');
    await makeFile(file, SIZE_MB * MB);
    // The same bytes copied on the same disk: what the disk and the kernel allow. A plain `cp` ends in the page
    // cache; the store flushes each file to the disk before answering, so `cp` followed by `sync` is the like for like.
    const timed = (work: () => void): number => {
      const started = process.hrtime.bigint();
      work();
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    const cpSeconds = timed(() => execFileSync('cp', [file, path.join(dir, 'copy.pdf')]));
    const cpSyncSeconds = timed(() => {
      execFileSync('cp', [file, path.join(dir, 'copy-synced.pdf')]);
      execFileSync('sync', [path.join(dir, 'copy-synced.pdf')]);
    });
    await rm(path.join(dir, 'copy.pdf'));
    await rm(path.join(dir, 'copy-synced.pdf'));

    // A small upload first, so that what the first upload loads once (modules, buffers) is not counted as the big
    // one's.
    const warm = path.join(dir, 'warm.pdf');
    await makeFile(warm, MB);
    const warmed = await upload(base, accessToken, inspection.recommendations[0].id, warm);
    if (warmed.status !== 202) throw new Error(`warm-up upload answered ${warmed.status}: ${warmed.body}`);

    const rssBefore = rssOf(api.pid!);
    const cpuBefore = cpuOf(api.pid!);
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(api.pid!))), 50);
    const answer = await upload(base, accessToken, inspection.recommendations[0].id, file);
    clearInterval(sampler);
    if (answer.status !== 202) throw new Error(`upload answered ${answer.status}: ${answer.body}`);
    const mbps = (seconds: number) => ({ seconds: +seconds.toFixed(2), mbPerSecond: +(SIZE_MB / seconds).toFixed(1) });
    const result = {
      sizeMb: SIZE_MB,
      loadAverage: loadavg().map((l) => +l.toFixed(2)),
      upload: { ...mbps(answer.seconds), apiCpuSeconds: +(cpuOf(api.pid!) - cpuBefore).toFixed(2) },
      cp: mbps(cpSeconds),
      cpThenSync: mbps(cpSyncSeconds),
      ratioToCp: +(cpSeconds / answer.seconds).toFixed(3),
      ratioToCpThenSync: +(cpSyncSeconds / answer.seconds).toFixed(3),
      apiRssMb: {
        before: +rssBefore.toFixed(1),
        peakDuring: +peak.toFixed(1),
        growth: +(peak - rssBefore).toFixed(1),
        highWaterMark: +rssOf(api.pid!, 'VmHWM').toFixed(1),
      },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    api.kill('SIGTERM');
    await once(api, 'exit').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await db.drop();
    // The API's queues (and its job schedulers) were under their own prefix: nothing left in Redis.
    const redis = new (await import('ioredis')).Redis(REDIS_URL);
    await deleteQueueKeys(redis, prefix);
    redis.disconnect();
  }
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
