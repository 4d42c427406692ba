// Multipart uploads read only after the guards have identified the caller (and checked a page form's CSRF token),
// within the form's own limits, files streamed to disk; every parser problem is a 400 or a 413.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  HttpException,
  HttpStatus,
  Injectable,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { acceptsWith, refuseUnread } from './body-types.js';

/** What one form may send: anything else, or anything larger, is refused before it is stored. */
export interface MultipartSpec {
  /** The file inputs, each with how many files it may carry. */
  files: Readonly<Record<string, { maxCount: number }>>;
  /** The largest one file may be, in bytes. */
  maxFileBytes: number;
  /** The text fields, each with the most bytes it may hold; a field not named here is refused. */
  fields: Readonly<Record<string, number>>;
  /** The whole body at most, in bytes (fields, files and boundaries together). */
  maxTotalBytes: number;
}

/** A file as the handler gets it: already on disk, removed when the response has been sent. */
export interface UploadedFile {
  field: string;
  path: string;
  /** The name the browser gave (may be empty); never used as a path. */
  originalName: string;
  mimeType: string;
  size: number;
}

/** `req.body` holds the text fields, `req.uploads` the files by input name. */
export type UploadRequest = Request & { uploads?: Record<string, UploadedFile[]> };

/** A refused upload: 400 (malformed, cut off, a field the form does not have) or 413 (too large, too many). */
export class UploadRefused extends HttpException {
  constructor(status: HttpStatus.BAD_REQUEST | HttpStatus.PAYLOAD_TOO_LARGE, message: string) {
    super(
      {
        statusCode: status,
        message: [message],
        error: status === HttpStatus.BAD_REQUEST ? 'Bad Request' : 'Payload Too Large',
      },
      status,
    );
  }
}

const tooLarge = (message: string) => new UploadRefused(HttpStatus.PAYLOAD_TOO_LARGE, message);
const malformed = (message: string) => new UploadRefused(HttpStatus.BAD_REQUEST, message);
const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Reads a multipart body within `spec`, files into `dir`. Rejects with UploadRefused on the first problem, having
 * stopped reading.
 */
export function parseMultipart(
  req: Request,
  spec: MultipartSpec,
  dir: string,
): Promise<{ fields: Record<string, string | string[]>; files: Record<string, UploadedFile[]> }> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > spec.maxTotalBytes)
      return reject(tooLarge(`the upload must be at most ${megabytes(spec.maxTotalBytes)}`));
    const fieldNames = Object.keys(spec.fields);
    const maxFiles = Object.values(spec.files).reduce((sum, f) => sum + f.maxCount, 0);
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          fieldNameSize: 100,
          fieldSize: Math.max(0, ...Object.values(spec.fields)) + 1,
          fields: fieldNames.length * 2,
          files: maxFiles,
          fileSize: spec.maxFileBytes,
          parts: fieldNames.length * 2 + maxFiles,
          headerPairs: 20,
        },
      });
    } catch {
      return reject(malformed('the body is not valid multipart/form-data'));
    }
    const fields: Record<string, string | string[]> = {};
    const files: Record<string, UploadedFile[]> = {};
    const writes: Promise<unknown>[] = [];
    let failed = false;
    let received = 0;
    const fail = (error: UploadRefused) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      parser.removeAllListeners('close');
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > spec.maxTotalBytes) fail(tooLarge(`the upload must be at most ${megabytes(spec.maxTotalBytes)}`));
    });
    req.once('aborted', () => fail(malformed('the upload was cut off')));
    req.once('error', () => fail(malformed('the upload was cut off')));

    parser.on('file', (name, stream, info) => {
      const rule = spec.files[name];
      const list = (files[name] ??= []);
      if (failed || !rule || list.length >= rule.maxCount) {
        stream.resume();
        return fail(
          malformed(
            rule
              ? `${name} takes at most ${rule.maxCount} file${rule.maxCount === 1 ? '' : 's'}`
              : `${name} is not a file input of this form`,
          ),
        );
      }
      const file: UploadedFile = {
        field: name,
        path: path.join(dir, `${name}-${list.length}`),
        originalName: info.filename ?? '',
        mimeType: info.mimeType,
        size: 0,
      };
      list.push(file);
      stream.on('data', (chunk: Buffer) => (file.size += chunk.length));
      stream.once('limit', () => fail(tooLarge(`${name} must be at most ${megabytes(spec.maxFileBytes)}`)));
      writes.push(
        pipeline(stream, createWriteStream(file.path)).catch(() => fail(malformed('the upload was cut off'))),
      );
    });
    parser.on('field', (name, value, info) => {
      const max = spec.fields[name];
      if (max === undefined || info.nameTruncated)
        return fail(malformed(`${name.slice(0, 100)} is not a field of this form`));
      if (info.valueTruncated || Buffer.byteLength(value) > max)
        return fail(tooLarge(`${name} must be at most ${max} bytes`));
      const previous = fields[name];
      fields[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    });
    parser.once('partsLimit', () => fail(tooLarge('the form has more parts than it should')));
    parser.once('filesLimit', () =>
      fail(tooLarge(`the form takes at most ${maxFiles} file${maxFiles === 1 ? '' : 's'}`)),
    );
    parser.once('fieldsLimit', () => fail(tooLarge('the form has more fields than it should')));
    // A body that stops before its closing boundary ("Unexpected end of form"), a malformed part header, …
    parser.on('error', () => fail(malformed('the upload was cut off or is not valid multipart/form-data')));
    parser.once('close', () => {
      void Promise.all(writes).then(() => {
        if (!failed) resolve({ fields, files });
      });
    });
    req.pipe(parser);
  });
}

/**
 * Runs after the guards (a Nest interceptor), so the caller is already identified and a page form's CSRF
 * token (in the action's query string or a header) already checked: nothing is read for anyone else.
 */
@Injectable()
export class MultipartInterceptor implements NestInterceptor {
  constructor(private readonly spec: MultipartSpec) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<UploadRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    return from(this.read(req, res)).pipe(switchMap(() => next.handle()));
  }

  private async read(req: UploadRequest, res: Response): Promise<void> {
    const dir = await mkdtemp(path.join(tmpdir(), 'followup-upload-'));
    // Whatever the handler did with them, the files go once the response is over (or the client has gone).
    res.once('close', () => void rm(dir, { recursive: true, force: true }));
    try {
      const { fields, files } = await parseMultipart(req, this.spec, dir);
      req.body = fields;
      req.uploads = files;
    } catch (error) {
      refuseUnread(res);
      throw error;
    }
  }
}

/**
 * The route takes `multipart/form-data` (and nothing else), read by MultipartInterceptor after the guards.
 * A page form must send its CSRF token in the action's query string (`?_csrf=`) or the `X-CSRF-Token` header.
 */
export const MultipartBody = (spec: MultipartSpec) =>
  acceptsWith('multipart/form-data', UseInterceptors(new MultipartInterceptor(spec)));
