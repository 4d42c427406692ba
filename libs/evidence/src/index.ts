// The evidence adapter's public surface: the object store (local folder or S3), ingesting uploads, the allow-list, the
// clamd scanner.
export * from './object-store.js';
export { FileObjectStore } from './file-object-store.js';
export { S3ObjectStore, type S3Location } from './s3-object-store.js';
export { openObjectStore, type OpenStoreOptions } from './open-object-store.js';
export { ALLOWED_TYPES, SCAN_IN_WORDS, SNIFF_BYTES, sizeInWords, sniffType, typeInWords } from './file-types.js';
export { ingest, tooLarge, unsupportedType, type StoredObject, type UploadBudget } from './ingest.js';
export { ClamdScanner, ScannerUnavailableError, type MalwareScanner, type ScanVerdict } from './clamd-scanner.js';
export { EvidenceModule, MALWARE_SCANNER, OBJECT_STORE } from './evidence.module.js';
