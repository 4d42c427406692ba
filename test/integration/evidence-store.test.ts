// The evidence object store, one suite run against both implementations: a local folder and S3 (s3rver on loopback).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DomainErrorCode } from '../../libs/domain/src/index.js';
import {
  FileObjectStore,
  ObjectMissingError,
  S3ObjectStore,
  ingest,
  keyIn,
  newObjectKey,
  type ObjectStore,
} from '../../libs/evidence/src/index.js';
import {
  EICAR,
  EXECUTABLE,
  docx,
  pdf,
  pdfStream,
  startLoopbackS3,
  type LoopbackS3,
} from '../support/evidence-files.js';

const MB = 1024 * 1024;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream that gives `good` bytes and then fails, as a client that hangs up half-way. */
function cutOff(good: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(good);
      } else this.destroy(new Error('connection reset'));
    },
  });
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(['file', 's3'] as const)('evidence store (%s)', (kind) => {
  let store: ObjectStore;
  let folder: string;
  let s3: LoopbackS3 | undefined;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'evidence-store-'));
    if (kind === 'file') store = new FileObjectStore(folder);
    else {
      s3 = await startLoopbackS3();
      store = new S3ObjectStore({
        bucket: s3.bucket,
        endpoint: s3.endpoint,
        region: 'us-east-1',
        credentials: s3.credentials,
        presign: true,
      });
    }
  });

  afterAll(async () => {
    await store?.close();
    await s3?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('stores a stream of several parts and gives the same bytes back', async () => {
    const key = newObjectKey();
    const size = 12 * MB + 123; // more than two of S3's 5 MiB parts: a multipart upload
    await store.put(key, pdfStream(size));
    const back = await bytesOf(await store.get(key));
    expect(back.length).toBe(size);
    expect(sha256(back)).toBe(sha256(await bytesOf(pdfStream(size))));
    expect(await store.exists(key)).toBe(true);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
  });

  it('leaves nothing behind when the source is cut off half-way, small or multipart', async () => {
    const before = await store.keys('objects');
    for (const size of [1000, 11 * MB]) {
      const key = newObjectKey();
      await expect(store.put(key, cutOff(Buffer.alloc(size, 1)))).rejects.toThrow();
      expect(await store.exists(key)).toBe(false);
    }
    expect(await store.keys('objects')).toEqual(before);
    if (kind === 'file') expect(await readdir(join(folder, '.partial'))).toEqual([]);
  });

  it('says which object is missing, deletes idempotently, and quarantines by moving', async () => {
    const missing = newObjectKey();
    await expect(store.get(missing)).rejects.toBeInstanceOf(ObjectMissingError);
    await store.delete(missing);
    const key = newObjectKey();
    await store.put(key, Readable.from([EICAR]));
    const quarantined = keyIn('quarantine', key);
    await store.move(key, quarantined);
    expect(await store.exists(key)).toBe(false);
    expect(await store.keys('quarantine')).toContain(quarantined);
    expect((await bytesOf(await store.get(quarantined))).equals(EICAR)).toBe(true);
  });

  it('refuses keys that are not its own random ones (no user text, no paths)', async () => {
    await expect(store.put('objects/../../etc/passwd', Readable.from(['x']))).rejects.toThrow(
      /not an evidence object key/,
    );
    await expect(store.get('../secret')).rejects.toThrow(/not an evidence object key/);
  });

  it('ingests a PDF and a Word file: type from the content, size and SHA-256 on the way', async () => {
    const budget = { perFile: MB, remaining: 2 * MB };
    const file = pdf();
    const stored = await ingest(Readable.from([file]), '../../etc/passwd', store, budget);
    expect(stored).toMatchObject({
      name: '../../etc/passwd',
      size: file.length,
      type: 'application/pdf',
      sha256: sha256(file),
    });
    expect(stored.key).toMatch(/^objects\/[0-9a-f]{32}$/);
    const word = await docx();
    expect((await ingest(Readable.from([word]), 'plan.pdf', store, budget)).type).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(
      (await ingest(Readable.from([Buffer.from('reference,owner\n1,Chief Inspector\n')]), 'actions.csv', store, budget))
        .type,
    ).toBe('text/csv');
    expect(budget.remaining).toBeLessThan(2 * MB);
  });

  it('refuses a type off the allow-list (415) and a file over the limit (413), keeping nothing of either', async () => {
    const before = await store.keys('objects');
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (err: { code?: string }) => err.code,
      );
    expect(
      await refusal(ingest(Readable.from([EXECUTABLE]), 'minutes.pdf', store, { perFile: MB, remaining: MB })),
    ).toBe(DomainErrorCode.UnsupportedMediaType);
    expect(await refusal(ingest(pdfStream(MB + 1), 'big.pdf', store, { perFile: MB, remaining: 10 * MB }))).toBe(
      DomainErrorCode.PayloadTooLarge,
    );
    // Within the per-file limit, but over what the request has left.
    expect(await refusal(ingest(pdfStream(MB / 2), 'second.pdf', store, { perFile: MB, remaining: MB / 4 }))).toBe(
      DomainErrorCode.PayloadTooLarge,
    );
    expect(await store.keys('objects')).toEqual(before);
  });

  it(
    kind === 's3' ? 'hands out a pre-signed GET that answers as an attachment' : 'has no pre-signed URLs',
    async () => {
      const key = newObjectKey();
      await store.put(key, Readable.from([pdf()]));
      const url = await store.presign(key, {
        contentDisposition: 'attachment; filename="a.pdf"',
        contentType: 'application/pdf',
        expiresInSeconds: 60,
      });
      if (kind === 'file') return expect(url).toBeNull();
      const answer = await fetch(url!);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="a.pdf"');
      expect(Buffer.from(await answer.arrayBuffer()).equals(pdf())).toBe(true);
    },
  );
});
