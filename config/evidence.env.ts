// The evidence settings: where files are kept, the scanner, the limits and how long files are kept after closure.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { parsePositiveDuration } from '#domain';

const positiveInt = (name: string, fallback: number) =>
  z.coerce
    .number({ message: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be positive`)
    .default(fallback);

const onOff = (name: string, fallback: 'on' | 'off') =>
  z.enum(['on', 'off'], { message: `${name} must be on or off` }).default(fallback);

const storeUrl = z
  .string()
  .trim()
  .refine(
    (v) =>
      URL.canParse(v) &&
      ['file:', 's3:'].includes(new URL(v).protocol) &&
      (new URL(v).protocol !== 's3:' || new URL(v).hostname !== ''),
    {
      message: 'EVIDENCE_STORE must be file:///folder or s3://bucket?endpoint=…&region=…',
    },
  );

const retention = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    try {
      parsePositiveDuration(v, 'EVIDENCE_RETENTION');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  });

/** 50 MB. */
export const DEFAULT_EVIDENCE_MAX_BYTES = 50 * 1024 * 1024;

/** Spread into the environment schema. */
export const evidenceEnvShape = {
  /** file:///folder (default: .local/evidence under the working folder) or s3://bucket?endpoint=…&region=…. */
  EVIDENCE_STORE: storeUrl.optional(),
  /** on: downloads from S3 go through short-lived pre-signed URLs instead of through the API. */
  EVIDENCE_PRESIGN: onOff('EVIDENCE_PRESIGN', 'off'),
  /** The most one file, and one request's files together, may hold. */
  EVIDENCE_MAX_BYTES: positiveInt('EVIDENCE_MAX_BYTES', DEFAULT_EVIDENCE_MAX_BYTES),
  /** The most files one upload request may carry. */
  EVIDENCE_MAX_FILES: positiveInt('EVIDENCE_MAX_FILES', 20),
  /** clamd, tcp://host:port. */
  CLAMAV_URL: z
    .string()
    .trim()
    .refine((v) => URL.canParse(v) && new URL(v).protocol === 'tcp:' && new URL(v).port !== '', {
      message: 'CLAMAV_URL must be tcp://host:port',
    })
    .optional(),
  /** off: files are kept unscanned on purpose (and may be downloaded so); on: they must be scanned. */
  EVIDENCE_SCAN: onOff('EVIDENCE_SCAN', 'on'),
  /** Scan attempts (with JOB_BACKOFF_MS's exponential backoff) before a file is marked unscanned. */
  SCAN_ATTEMPTS: positiveInt('SCAN_ATTEMPTS', 10),
  /** How long after a recommendation's closure its files are deleted. */
  EVIDENCE_RETENTION: retention.default('P6Y'),
};

type EvidenceEnv = z.infer<z.ZodObject<typeof evidenceEnvShape>>;

/**
 * How files are scanned: `clamd` at CLAMAV_URL; `off` on purpose (EVIDENCE_SCAN=off: files say unscanned and
 * may be downloaded); `missing`: no scanner configured, outside production (files say unscanned and are
 * never served). In production `missing` refuses uploads.
 */
export type ScanMode = 'clamd' | 'off' | 'missing';

export interface EvidenceConfig {
  storeUrl: string;
  presign: boolean;
  maxBytes: number;
  maxFiles: number;
  scan: ScanMode;
  clamavUrl: string | null;
  scanAttempts: number;
  /** The ISO duration (calendar arithmetic in London). */
  retention: string;
  /** Uploads are refused: production with no scanner and scanning not switched off. */
  uploadsRefused: boolean;
}

export function evidenceConfig(env: EvidenceEnv & { NODE_ENV: string }): EvidenceConfig {
  const scan: ScanMode = env.EVIDENCE_SCAN === 'off' ? 'off' : env.CLAMAV_URL ? 'clamd' : 'missing';
  return {
    storeUrl: env.EVIDENCE_STORE ?? pathToFileURL(resolve('.local', 'evidence')).href,
    presign: env.EVIDENCE_PRESIGN === 'on',
    maxBytes: env.EVIDENCE_MAX_BYTES,
    maxFiles: env.EVIDENCE_MAX_FILES,
    scan,
    clamavUrl: env.CLAMAV_URL ?? null,
    scanAttempts: env.SCAN_ATTEMPTS,
    retention: env.EVIDENCE_RETENTION,
    uploadsRefused: scan === 'missing' && env.NODE_ENV === 'production',
  };
}
