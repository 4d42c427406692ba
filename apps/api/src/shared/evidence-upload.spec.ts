// A refused or cut-off upload answers only once the file being stored has settled, so that the caller's clean-up
// sees every object the request stored (else a file stored a moment after the answer would be left behind).
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Request, Response } from 'express';
import { DomainError } from '#domain';
import { readStreamedUpload } from './evidence-upload.js';

const BOUNDARY = 'spec-boundary';
/** A file part, with the boundary after it: once sent, the parser knows the file is whole. */
const part = (name: string) =>
  `Content-Disposition: form-data; name="file"; filename="${name}"\r\n` +
  `Content-Type: application/pdf\r\n\r\n%PDF-1.4 ${name}\r\n--${BOUNDARY}\r\n`;
const opening = `--${BOUNDARY}\r\n`;

interface Outcome {
  error: unknown;
  /** What `onFile` had stored when the upload was answered. */
  storedAtAnswer: string[];
}

interface UploadServer {
  server: Server;
  /** Resolves once `onFile` has read the first file whole (and is storing it). */
  read: Promise<void>;
  outcome: Promise<Outcome>;
}

/** Serves one upload whose `onFile` reads the file, then takes `storeMs` to store it. */
function uploadServer(storeMs: number): UploadServer {
  let settle!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));
  let fileRead!: () => void;
  const read = new Promise<void>((resolve) => (fileRead = resolve));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const stored: string[] = [];
    const onFile = async (name: string, body: Readable) => {
      for await (const chunk of body) void chunk;
      fileRead();
      await sleep(storeMs);
      stored.push(name);
    };
    const limits = { field: 'file', maxFiles: 1, maxFileBytes: 10_000, maxTotalBytes: 100_000 };
    readStreamedUpload(req as Request, res as unknown as Response, limits, onFile).then(
      () => settle({ error: null, storedAtAnswer: [...stored] }),
      (error: unknown) => {
        settle({ error, storedAtAnswer: [...stored] });
        res.writeHead(400).end();
      },
    );
  });
  return { server, read, outcome };
}

/** Sends `first`, waits for the server to have read its file, then sends `then`, or drops the connection if null. */
async function sendInSteps({ server, read }: UploadServer, first: string, then: string | null): Promise<void> {
  const { port } = server.address() as AddressInfo;
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': '100000' },
  });
  req.on('error', () => undefined);
  req.on('response', (res) => res.resume());
  req.write(first);
  await read;
  if (then === null) req.destroy();
  else req.write(then);
}

describe('readStreamedUpload', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  const listen = async (storeMs: number): Promise<UploadServer> => {
    const started = uploadServer(storeMs);
    server = started.server;
    await new Promise<void>((resolve) => started.server.listen(0, '127.0.0.1', resolve));
    return started;
  };

  it('refuses a file over the count only once the file being stored is stored, so the caller can discard it', async () => {
    const started = await listen(300);
    await sendInSteps(started, opening + part('a.pdf'), part('b.pdf'));
    const { error, storedAtAnswer } = await started.outcome;
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toMatch(/at most 1 files/);
    expect(storedAtAnswer).toEqual(['a.pdf']);
  });

  it('rejects a cut-off upload only once the file being stored is stored', async () => {
    const started = await listen(300);
    await sendInSteps(started, opening + part('a.pdf'), null);
    const { error, storedAtAnswer } = await started.outcome;
    expect((error as DomainError).message).toMatch(/cut off/);
    expect(storedAtAnswer).toEqual(['a.pdf']);
  });
});
