// The evidence allow-list: a file's type is sniffed from its first bytes (file-type), never taken from its name or the
// client's word.
import { fileTypeFromBuffer } from 'file-type';

/** The types a force may upload, and what people call them. */
export const ALLOWED_TYPES: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.ms-powerpoint': 'PowerPoint presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'application/vnd.oasis.opendocument.presentation': 'OpenDocument presentation',
  'text/csv': 'CSV',
  'text/plain': 'Text',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
};

/** The words for a type ("PDF", "Word document"); the type itself for anything else. */
export const typeInWords = (type: string): string => ALLOWED_TYPES[type] ?? type;

/** How many leading bytes are read to decide the type (OOXML and OpenDocument are zips: their first entries say). */
export const SNIFF_BYTES = 64 * 1024;

/** Old Office files are OLE compound files: which program made one is told apart by the name's extension. */
const COMPOUND_BY_EXTENSION: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

const extensionOf = (name: string): string => /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase() ?? '';

/** Text: valid UTF-8 (a character cut at the sample's end allowed) with no NUL and few other control bytes. */
function looksLikeText(head: Uint8Array, complete: boolean): boolean {
  if (head.length === 0) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
  } catch {
    return false;
  }
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13 && byte !== 12) control++;
  }
  return control <= head.length / 100;
}

/**
 * The allowed type these leading bytes are, or null when they are none of the allow-list. `complete` says
 * the head is the whole file. Only for text (which has no signature) does the name's extension tell CSV
 * from plain text, and for an OLE file which Office program it belongs to.
 */
export async function sniffType(head: Uint8Array, name: string, complete: boolean): Promise<string | null> {
  const found = await fileTypeFromBuffer(head);
  if (found) {
    if (found.mime === 'application/x-cfb') return COMPOUND_BY_EXTENSION[extensionOf(name)] ?? null;
    return found.mime in ALLOWED_TYPES ? found.mime : null;
  }
  if (!looksLikeText(head, complete)) return null;
  return extensionOf(name) === 'csv' ? 'text/csv' : 'text/plain';
}

/** A size as people read it: "820 bytes", "14 KB", "3.2 MB". */
export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A scan state as people read it. */
export const SCAN_IN_WORDS: Readonly<Record<string, string>> = {
  pending: 'Waiting for virus scan',
  clean: 'No viruses found',
  infected: 'Virus found: quarantined',
  unscanned: 'Not scanned',
};
