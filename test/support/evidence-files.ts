// Files for the evidence tests: a small valid PDF, the EICAR test file, a Word document (zip), an executable, and a
// loopback S3 server (s3rver).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import yazl from 'yazl';
import { demoEvidencePdf } from '../../scripts/demo-evidence.js';

/** The industry's harmless test file every scanner reports (68 bytes). */
export const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');

/** A one-page PDF with some words on it (the demo's own PDF maker, one line). */
export function pdf(text = 'Custody audit 2025'): Buffer {
  return demoEvidencePdf([text]);
}

/** A minimal .docx (a zip with Word's parts), enough for type sniffing. */
export async function docx(): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const types =
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  zip.addBuffer(Buffer.from(types), '[Content_Types].xml');
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
    ),
    'word/document.xml',
  );
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The start of a Windows executable: not on the allow-list whatever it is called. */
export const EXECUTABLE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
  Buffer.alloc(512, 0),
]);

/** `size` bytes of a PDF-looking stream (a PDF header, then filler) produced in chunks, never held whole. */
export function pdfStream(size: number, chunk = 64 * 1024): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const n = Math.min(chunk, size - sent);
      const buffer = Buffer.alloc(n, 0x20);
      if (sent === 0) Buffer.from('%PDF-1.4\n').copy(buffer);
      sent += n;
      this.push(buffer);
    },
  });
}

export interface LoopbackS3 {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The EVIDENCE_STORE URL for it. */
  url: string;
  close(): Promise<void>;
}

/** s3rver on a free loopback port with one bucket, its files in a temporary folder. */
export async function startLoopbackS3(bucket = 'evidence'): Promise<LoopbackS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    url: `s3://${bucket}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1`,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
