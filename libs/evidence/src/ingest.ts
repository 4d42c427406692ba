// One uploaded file, streamed into the store: its type sniffed from the first bytes, its size limited, its SHA-256
// taken on the way.
import { createHash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, DomainErrorCode } from '#domain';
import { newObjectKey, type ObjectStore } from './object-store.js';
import { SNIFF_BYTES, sniffType, typeInWords } from './file-types.js';

/** What a request may still bring: shared by its files, so the request's total is limited too. */
export interface UploadBudget {
  /** Bytes the request may still send, over all its files. */
  remaining: number;
  /** The most one file may hold. */
  perFile: number;
}

export interface StoredObject {
  key: string;
  name: string;
  size: number;
  type: string;
  sha256: string;
}

export const tooLarge = (limit: number): DomainError =>
  new DomainError(
    DomainErrorCode.PayloadTooLarge,
    `file is too large: the limit is ${limit} bytes per file and per request (EVIDENCE_MAX_BYTES)`,
  );

export const unsupportedType = (name: string): DomainError =>
  new DomainError(
    DomainErrorCode.UnsupportedMediaType,
    `file ${JSON.stringify(name)} must be a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, plain text, PNG or JPEG file`,
  );

/** Reads up to `bytes` from the start of the iterator (without ending it); `ended` when that was all of it. */
async function readHead(chunks: AsyncIterator<unknown>, bytes: number): Promise<{ head: Buffer; ended: boolean }> {
  const read: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await chunks.next();
    if (next.done) return { head: Buffer.concat(read), ended: true };
    const buffer = next.value as Buffer;
    read.push(buffer);
    length += buffer.length;
  }
  return { head: Buffer.concat(read), ended: false };
}

/** Counts and hashes what passes; fails with 413 once the file or the request is over its limit. */
class Metered extends Transform {
  readonly hash = createHash('sha256');
  size = 0;

  constructor(private readonly budget: UploadBudget) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.budget.remaining -= chunk.length;
    if (this.size > this.budget.perFile || this.budget.remaining < 0) return done(tooLarge(this.budget.perFile));
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/**
 * Streams `source` into `store` under a new random key: never more than the sniffing head and the store's
 * parts in memory. An unsupported type (415), a file over the limit (413) or a source that fails half-way
 * leaves nothing in the store. `source` is consumed (or destroyed) either way.
 */
export async function ingest(
  source: Readable,
  name: string,
  store: ObjectStore,
  budget: UploadBudget,
): Promise<StoredObject> {
  const chunks = source[Symbol.asyncIterator]();
  const { head, ended } = await readHead(chunks, SNIFF_BYTES);
  const type = await sniffType(head, name, ended);
  if (!type) {
    source.destroy();
    throw unsupportedType(name);
  }
  async function* everything(): AsyncGenerator<Buffer> {
    yield head;
    if (ended) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
  }
  const key = newObjectKey();
  const metered = new Metered(budget);
  const feeding = pipeline(Readable.from(everything()), metered).catch((err: unknown) => err);
  try {
    await store.put(key, metered);
  } catch (err) {
    source.destroy();
    await feeding;
    await store.delete(key).catch(() => undefined);
    throw metered.errored ?? err;
  }
  await feeding;
  if (metered.size === 0) {
    await store.delete(key).catch(() => undefined);
    throw unsupportedType(name);
  }
  return { key, name, size: metered.size, type, sha256: metered.hash.digest('hex') };
}

export { typeInWords };
