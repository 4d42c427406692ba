// Evidence files in and out over HTTP (a streamed upload, a sandboxed download): the API's routes and the evidence
// page's.
import { create as contentDisposition } from 'content-disposition';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { EvidenceFileView, EvidenceService } from '#application';
import type { AppConfig } from '#config';
import type { Actor } from '#domain';
import type { StoredObject } from '#evidence';
import { readStreamedUpload } from './evidence-upload.js';

/** A header-safe form of a display name: control characters become '_' (the library quotes and encodes the rest). */
/* eslint-disable no-control-regex -- control characters are what this removes */
export const attachmentHeader = (name: string): string =>
  contentDisposition(name.replace(/[\u0000-\u001f\u007f]/g, '_') || 'evidence', { type: 'attachment' });
/* eslint-enable no-control-regex */

/** Downloaded bytes are never run as a page: a sandbox with nothing allowed. */
export const DOWNLOAD_CSP = "sandbox; default-src 'none'";

/**
 * Streams the request's files to storage after the access checks; all or nothing. Shared by the API and the page's
 * form.
 */
export async function uploadEvidence(
  evidence: EvidenceService,
  config: AppConfig,
  actor: Actor,
  id: string,
  req: Request,
  res: Response,
): Promise<EvidenceFileView[]> {
  await evidence.assertMayUpload(actor, id);
  const budget = evidence.budget();
  const stored: StoredObject[] = [];
  try {
    await readStreamedUpload(
      req,
      res,
      {
        field: 'file',
        maxFiles: config.evidence.maxFiles,
        maxFileBytes: budget.perFile,
        maxTotalBytes: budget.remaining,
      },
      async (name, body) => {
        stored.push(await evidence.ingest(body, name, budget));
      },
    );
    return await evidence.record(actor, id, stored);
  } catch (err) {
    await evidence.discard(stored);
    throw err;
  }
}

/** The bytes as a sandboxed attachment (or a redirect to a pre-signed URL); 404 unless servable and visible. */
export async function sendEvidenceContent(
  evidence: EvidenceService,
  actor: Actor,
  id: string,
  req: Request,
  res: Response,
): Promise<void> {
  const view = await evidence.get(actor, id);
  const disposition = attachmentHeader(view.name);
  const content = await evidence.content(actor, id, disposition);
  res.setHeader('Cache-Control', 'private, no-store');
  if (content.url) return void res.redirect(302, content.url);
  res.status(200);
  res.setHeader('Content-Type', content.file.type);
  res.setHeader('Content-Length', String(content.file.size));
  res.setHeader('Content-Disposition', disposition);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', DOWNLOAD_CSP);
  req.on('close', () => content.body!.destroy());
  await pipeline(content.body!, res).catch(() => res.destroy());
}
