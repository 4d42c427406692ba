// The evidence upload's own pipeline (multipart reading, sniffing, SHA-256, the local store) in a lean process, for
// comparison
// with bench/evidence-upload.bench.ts: what the file handling costs without the API process's large heap to collect.
// `npm run build && node dist/bench/evidence-pipeline.probe.js [MB]`
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Request, Response } from 'express';
import { FileObjectStore, ingest } from '#evidence';
import { readStreamedUpload } from '../apps/api/src/shared/evidence-upload.js';

const MB = 1024 * 1024;

/** A PDF-looking file of `bytes` (a header, then random data), as the upload benchmark makes. */
async function makeFile(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('%PDF-1.4\n');
  for (let written = 9; written < bytes; written += MB)
    if (!out.write(randomBytes(Math.min(MB, bytes - written)))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
const sizeMb = Number(process.argv[2] ?? 200);
const dir = await mkdtemp(path.join(tmpdir(), 'evidence-probe-'));
const store = new FileObjectStore(path.join(dir, 'store'));
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const budget = { remaining: Number.MAX_SAFE_INTEGER, perFile: Number.MAX_SAFE_INTEGER };
  const limits = { field: 'file', maxFiles: 1, maxFileBytes: budget.perFile, maxTotalBytes: budget.remaining };
  readStreamedUpload(
    req as Request,
    res as Response,
    limits,
    async (name, body) => void (await ingest(body, name, store, budget)),
  ).then(
    () => res.writeHead(202).end(),
    (err: Error) => res.writeHead(500).end(err.message),
  );
});
try {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const file = path.join(dir, 'big.pdf');
  await makeFile(file, sizeMb * MB);
  const boundary = 'probe0123456789';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + statSync(file).size + tail.length),
      },
    });
    req.on('response', (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)));
    req.on('error', reject);
    req.write(head);
    const source = createReadStream(file);
    source.pipe(req, { end: false });
    source.on('end', () => req.end(tail));
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      sizeMb,
      status,
      seconds: +seconds.toFixed(2),
      mbPerSecond: +(sizeMb / seconds).toFixed(1),
      cpuSecondsClientAndServer: +((used.user + used.system) / 1e6).toFixed(2),
      heapUsedMb: +(process.memoryUsage().heapUsed / MB).toFixed(0),
    }),
  );
} finally {
  server.close();
  await rm(dir, { recursive: true, force: true });
}
