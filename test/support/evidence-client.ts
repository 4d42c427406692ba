// Uploading evidence files in the tests: a multipart POST with fetch's FormData, and a raw upload cut off half-way.
import { request } from 'node:http';
import { expectDocumentedAnswer } from './openapi-answers.js';

export interface UploadFile {
  name: string;
  bytes: Buffer;
  type?: string;
}

/** POST /recommendations/:id/evidence/files with `files` in the repeated field `file`. */
export async function uploadEvidence(
  baseUrl: string,
  token: string,
  recommendationId: string,
  files: UploadFile[],
  field = 'file',
) {
  const form = new FormData();
  for (const f of files)
    form.append(field, new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  const response = await fetch(`${baseUrl}/recommendations/${recommendationId}/evidence/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    body: form,
  });
  const text = await response.text();
  const body = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  expectDocumentedAnswer(
    'POST',
    `/recommendations/${recommendationId}/evidence/files`,
    response.status,
    response.headers.get('content-type'),
    body,
  );
  return { status: response.status, body, headers: response.headers };
}

/**
 * Starts an upload declaring `declaredBytes` of file, sends `sentBytes` of it, then drops the connection.
 * Resolves once the socket is closed.
 */
export function cutOffUpload(
  baseUrl: string,
  token: string,
  recommendationId: string,
  declaredBytes: number,
  sentBytes: number,
): Promise<void> {
  const boundary = '----cutoff' + Date.now();
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const url = new URL(`${baseUrl}/recommendations/${recommendationId}/evidence/files`);
  return new Promise((resolve) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + declaredBytes + tail.length),
      },
    });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.on('response', (res) => res.resume());
    req.write(head);
    req.write(Buffer.alloc(sentBytes, 0x20), () => setTimeout(() => req.destroy(), 300));
  });
}
