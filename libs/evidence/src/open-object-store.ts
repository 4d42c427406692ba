// EVIDENCE_STORE read into a store: file:///folder or s3://bucket?endpoint=…&region=….
import { fileURLToPath } from 'node:url';
import type { ObjectStore } from './object-store.js';
import { FileObjectStore } from './file-object-store.js';
import { S3ObjectStore, type S3Location } from './s3-object-store.js';

export interface OpenStoreOptions {
  /** EVIDENCE_PRESIGN=on: downloads from S3 go through short-lived pre-signed URLs. */
  presign?: boolean;
  credentials?: S3Location['credentials'];
}

/** The store an `EVIDENCE_STORE` URL names (already checked by the configuration's schema). */
export function openObjectStore(url: string, options: OpenStoreOptions = {}): ObjectStore {
  const parsed = new URL(url);
  if (parsed.protocol === 'file:') return new FileObjectStore(fileURLToPath(parsed));
  if (parsed.protocol === 's3:') {
    return new S3ObjectStore({
      bucket: parsed.hostname,
      endpoint: parsed.searchParams.get('endpoint') ?? undefined,
      region: parsed.searchParams.get('region') ?? 'us-east-1',
      credentials: options.credentials,
      presign: options.presign ?? false,
    });
  }
  throw new Error(`EVIDENCE_STORE must start with file:// or s3://, not ${parsed.protocol}`);
}
