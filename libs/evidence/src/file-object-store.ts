// Evidence bytes in a local folder (EVIDENCE_STORE=file:///…): written to a temporary file and renamed into place, so a
// cut-off upload leaves nothing.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey, ObjectMissingError, type ObjectArea, type ObjectStore } from './object-store.js';

const PARTIAL = '.partial';

export class FileObjectStore implements ObjectStore {
  readonly kind = 'file' as const;

  constructor(private readonly root: string) {}

  private path(key: string): string {
    return join(this.root, checkKey(key));
  }

  async put(key: string, body: Readable): Promise<void> {
    const target = this.path(key);
    await mkdir(join(this.root, PARTIAL), { recursive: true });
    await mkdir(join(target, '..'), { recursive: true });
    const partial = join(this.root, PARTIAL, `${randomBytes(12).toString('hex')}`);
    try {
      await pipeline(body, createWriteStream(partial, { flags: 'wx', flush: true }));
      await rename(partial, target);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    const stream = createReadStream(path);
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'ENOENT' ? new ObjectMissingError(key) : err),
      );
    });
    return stream;
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch {
      return false;
    }
  }

  async move(from: string, to: string): Promise<void> {
    const target = this.path(to);
    await mkdir(join(target, '..'), { recursive: true });
    try {
      await rename(this.path(from), target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectMissingError(from);
      throw err;
    }
  }

  async keys(area: ObjectArea): Promise<string[]> {
    try {
      return (await readdir(join(this.root, area))).map((name) => `${area}/${name}`).sort();
    } catch {
      return [];
    }
  }

  async presign(): Promise<string | null> {
    return null;
  }

  async close(): Promise<void> {}
}
