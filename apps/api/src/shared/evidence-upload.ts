// Reading a multipart upload as a stream of files (busboy), each handed on as it arrives: nothing is held whole, and a
// cut-off request stops at once.
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { DomainError, DomainErrorCode, invalidInput } from '#domain';

export interface StreamedUploadLimits {
  /** The file field's name (`file`, repeatable). */
  field: string;
  maxFiles: number;
  /** The most one file may hold; the handler enforces it exactly (busboy only stops a byte later). */
  maxFileBytes: number;
  /** The whole body at most (a Content-Length above it is refused before reading). */
  maxTotalBytes: number;
}

/** Text fields a page form may send beside its files (the CSRF token travels in the query string instead). */
const FIELD_BYTES = 1000;

/**
 * Reads `req` as multipart/form-data and calls `onFile` for each non-empty file of `limits.field`, one after
 * another (busboy reads the next part only once a file's stream is consumed). Rejects on the first problem:
 * 400 malformed, cut off or an unknown file field; 413 too large or too many; or what `onFile` threw. A
 * Content-Length over the limit is refused at once (and the connection closed, unread); a refusal half-way
 * reads the rest of the body into nothing, so the client sees the answer, and rejects only once `onFile` has
 * settled.
 */
export function readStreamedUpload(
  req: Request,
  res: Response,
  limits: StreamedUploadLimits,
  onFile: (name: string, body: Readable) => Promise<void>,
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    if ((req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() !== 'multipart/form-data') {
      return reject(
        new DomainError(
          DomainErrorCode.UnsupportedMediaType,
          'the body must be multipart/form-data with the files in the field "file"',
        ),
      );
    }
    if (Number(req.headers['content-length']) > limits.maxTotalBytes + 64 * 1024) {
      res.setHeader('Connection', 'close');
      return reject(
        new DomainError(
          DomainErrorCode.PayloadTooLarge,
          `the upload is too large: the limit is ${limits.maxTotalBytes} bytes (EVIDENCE_MAX_BYTES)`,
        ),
      );
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // The name is kept as given, for display only (it never becomes a path): '../../etc/passwd' stays so.
        preservePath: true,
        limits: {
          files: limits.maxFiles,
          fileSize: limits.maxFileBytes + 1,
          fields: 10,
          fieldSize: FIELD_BYTES,
          parts: limits.maxFiles + 10,
          headerPairs: 20,
        },
      });
    } catch {
      return reject(invalidInput('file: the body is not valid multipart/form-data'));
    }
    const fields: Record<string, string> = {};
    let current: Readable | null = null;
    let chain: Promise<void> = Promise.resolve();
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      current?.destroy(error instanceof Error ? error : new Error(String(error)));
      // The rest of the body is read and dropped (bounded by the server's request timeout), so that the
      // client, still sending, gets to read the refusal rather than a reset connection.
      req.resume();
      // The answer waits for the file being stored to settle (stopped, or stored whole if its bytes had all
      // arrived), so that the caller's clean-up sees every object this request stored.
      chain.then(
        () => reject(error),
        () => reject(error),
      );
    };
    parser.on('file', (field, stream, info) => {
      if (failed) return stream.resume();
      if (field !== limits.field) {
        stream.resume();
        return fail(invalidInput(`${field}: unknown field; files go in "${limits.field}"`));
      }
      // A file input left empty still sends a part, with no name and no bytes.
      const filename = info.filename;
      if (!filename) return stream.resume();
      chain = chain.then(async () => {
        if (failed) return void stream.resume();
        current = stream;
        try {
          await onFile(filename, stream);
        } finally {
          current = null;
        }
      });
      chain.catch(fail);
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(invalidInput(`${name} is too long`));
      fields[name] = String(value ?? '');
    });
    parser.on('filesLimit', () =>
      fail(
        new DomainError(
          DomainErrorCode.PayloadTooLarge,
          `at most ${limits.maxFiles} files may be uploaded at once (EVIDENCE_MAX_FILES)`,
        ),
      ),
    );
    parser.on('partsLimit', () => fail(invalidInput('file: too many parts in the form')));
    parser.on('fieldsLimit', () => fail(invalidInput('file: too many fields in the form')));
    parser.on('error', () => fail(invalidInput('file: the upload is malformed or was cut off')));
    parser.on('close', () => {
      chain.then(() => !failed && resolve(fields), fail);
    });
    req.on('aborted', () => fail(invalidInput('file: the upload was cut off')));
    req.on('close', () => {
      if (!req.complete) fail(invalidInput('file: the upload was cut off'));
    });
    req.pipe(parser);
  });
}
