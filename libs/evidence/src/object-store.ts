// The one interface evidence bytes are kept behind (a local folder or an S3-compatible store), and its random object
// keys.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Where an object lives: `objects/` while it may be served, `quarantine/` once a scanner found malware in it. */
export type ObjectArea = 'objects' | 'quarantine';

/** Object keys are random and never hold user text: `objects/<32 hex>` or `quarantine/<32 hex>`. */
export const OBJECT_KEY = /^(objects|quarantine)\/[0-9a-f]{32}$/;

export function newObjectKey(): string {
  return `objects/${randomBytes(16).toString('hex')}`;
}

/** The same object's key in another area (quarantining keeps the random part). */
export function keyIn(area: ObjectArea, key: string): string {
  return `${area}/${checkKey(key).split('/')[1]}`;
}

export function checkKey(key: string): string {
  if (!OBJECT_KEY.test(key)) throw new Error(`not an evidence object key: ${JSON.stringify(key)}`);
  return key;
}

/** The object asked for is not in the store. */
export class ObjectMissingError extends Error {
  constructor(key: string) {
    super(`evidence object ${key} is not in the store`);
    this.name = 'ObjectMissingError';
  }
}

export interface PresignRequest {
  /** The `Content-Disposition` header the store should answer with. */
  contentDisposition: string;
  contentType: string;
  expiresInSeconds: number;
}

/**
 * Evidence bytes, streamed both ways: several API and worker processes on several machines share one
 * store. `put` stores all of `body` under `key` or, when `body` fails or is cut off, nothing at all.
 */
export interface ObjectStore {
  readonly kind: 'file' | 's3';
  put(key: string, body: Readable): Promise<void>;
  /** The object's bytes; ObjectMissingError when there is none. */
  get(key: string): Promise<Readable>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Moves an object to another key (quarantine); the source is gone afterwards. */
  move(from: string, to: string): Promise<void>;
  /** Every key under `area` (tests and housekeeping). */
  keys(area: ObjectArea): Promise<string[]>;
  /** A short-lived GET URL that answers with these headers, or null when this store serves none. */
  presign(key: string, request: PresignRequest): Promise<string | null>;
  close(): Promise<void>;
}
