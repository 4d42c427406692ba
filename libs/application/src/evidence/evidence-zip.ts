// An inspection's clean evidence files as one zip, streamed (yazl) file by file from the store, with an index CSV
// inside.
import type { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import yazl from 'yazl';
import { SCAN_IN_WORDS, typeInWords, type ObjectStore } from '#evidence';
import type { EvidenceFileRow } from '#persistence';

export interface ZipEntry {
  file: EvidenceFileRow;
  reference: string;
}

/** A name safe as a zip path: no folders, no control characters, no leading dots. */
export function zipSafeName(name: string): string {
  /* eslint-disable no-control-regex -- control characters are what this removes */
  const safe = name
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^\.+/, '_')
    .slice(0, 120);
  /* eslint-enable no-control-regex */
  return safe || 'file';
}

/** A spreadsheet would run a cell starting = + - @ as a formula: a quote stops it. */
const cell = (value: unknown): string => {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value a cell is given is written as its text
  const text = value == null ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

/**
 * The zip: `index.csv` first (every file listed: reference, path in the zip, original name, type, size,
 * SHA-256, scan, uploaded), then each file under `<reference>/<n>-<name>`, opened from the store only when
 * the zip reaches it, so memory holds one file's buffers at a time.
 */
export function evidenceZip(entries: readonly ZipEntry[], store: ObjectStore): Readable {
  const zip = new yazl.ZipFile();
  const paths = entries.map((e, i) => `${zipSafeName(e.reference)}/${i + 1}-${zipSafeName(e.file.name)}`);
  const index = stringify(
    [
      ['recommendation', 'file in zip', 'name', 'type', 'bytes', 'sha256', 'scan', 'uploaded at (UTC)'],
      ...entries.map((e, i) =>
        [
          e.reference,
          paths[i],
          e.file.name,
          typeInWords(e.file.type),
          Number(e.file.size),
          e.file.sha256,
          SCAN_IN_WORDS[e.file.scan],
          new Date(e.file.uploadedAt).toISOString(),
        ].map(cell),
      ),
    ],
    { bom: true },
  );
  zip.addBuffer(Buffer.from(index), 'index.csv');
  entries.forEach((e, i) => {
    zip.addReadStreamLazy(paths[i], { size: Number(e.file.size) }, (cb) => {
      store.get(e.file.objectKey).then(
        (stream) => cb(null, stream),
        (err: unknown) => cb(err, undefined as never),
      );
    });
  });
  zip.end();
  return zip.outputStream as Readable;
}
