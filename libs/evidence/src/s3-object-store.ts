// Evidence bytes in an S3-compatible object store (EVIDENCE_STORE=s3://bucket?endpoint=…&region=…), streamed with
// multipart uploads.
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  checkKey,
  ObjectMissingError,
  type ObjectArea,
  type ObjectStore,
  type PresignRequest,
} from './object-store.js';

/** 5 MiB, S3's smallest part: an upload holds at most QUEUE_SIZE of these in memory, whatever the file's size. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

export interface S3Location {
  bucket: string;
  /** Any S3-compatible endpoint; path-style addressing is used whenever one is given. */
  endpoint?: string;
  region: string;
  /** Credentials from the environment's usual chain (AWS_ACCESS_KEY_ID, roles …) unless given here (tests). */
  credentials?: S3ClientConfig['credentials'];
  presign: boolean;
}

const isMissing = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly location: S3Location) {
    this.client = new S3Client({
      region: location.region,
      ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
      ...(location.credentials ? { credentials: location.credentials } : {}),
    });
  }

  private get bucket(): string {
    return this.location.bucket;
  }

  async put(key: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: checkKey(key), Body: body },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (err) {
      // A single-part upload that failed half-way stored nothing; a multipart one is aborted by lib-storage.
      await this.delete(key).catch(() => undefined);
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return answer.Body as Readable;
    } catch (err) {
      if (isMissing(err)) throw new ObjectMissingError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  async move(from: string, to: string): Promise<void> {
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: checkKey(to),
          CopySource: `${this.bucket}/${checkKey(from)}`,
        }),
      );
    } catch (err) {
      if (isMissing(err)) throw new ObjectMissingError(from);
      throw err;
    }
    await this.delete(from);
  }

  async keys(area: ObjectArea): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${area}/`, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async presign(key: string, request: PresignRequest): Promise<string | null> {
    if (!this.location.presign) return null;
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: checkKey(key),
      ResponseContentDisposition: request.contentDisposition,
      ResponseContentType: request.contentType,
    });
    return getSignedUrl(this.client, command, { expiresIn: request.expiresInSeconds });
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
