// The propose-closure form with its `Evidence files`: read as multipart, the files streamed to storage and recorded
// first, then cited by the proposal.
import type { Request, Response } from 'express';
import type { EvidenceService } from '#application';
import type { AppConfig } from '#config';
import { Action, DomainError, DomainErrorCode, type Actor } from '#domain';
import type { StoredObject } from '#evidence';
import { formStatusOf } from '../../shared/error-status.js';
import { readStreamedUpload } from '../../shared/evidence-upload.js';
import { formErrors, type FormErrors } from '../view-models/form-errors.js';
import type { PostedForm } from '../view-models/recommendation-page.js';
import { fieldId } from './transition.form.js';

export type FormWithFiles =
  | { refused?: undefined; body: Record<string, string>; fileIds: string[] }
  | { refused: { status: number; errors: FormErrors; posted: PostedForm } };

const FIELD = 'evidenceFiles';

/** What a refused upload says on the `Evidence files` input. */
function explainUpload(error: DomainError): string {
  if (error.code === DomainErrorCode.PayloadTooLarge)
    return `The selected files must be smaller: ${error.message.replace(/ \(EVIDENCE_MAX_[A-Z]+\)/, '')}`;
  if (error.code === DomainErrorCode.UnsupportedMediaType) return error.message.replace(/^file /, 'The file ');
  return 'The files did not arrive whole: try again';
}

/**
 * Reads the multipart form: its text fields, and its files streamed into the store (the access checks run
 * before the first file's bytes are stored). The stored files are recorded on the recommendation; those
 * already servable (scanning off on purpose) are cited by the proposal, the rest are listed with their scan state.
 */
export async function readFormWithFiles(
  evidence: EvidenceService,
  config: AppConfig,
  actor: Actor,
  id: string,
  req: Request,
  res: Response,
): Promise<FormWithFiles> {
  const budget = evidence.budget();
  const stored: StoredObject[] = [];
  let fields: Record<string, string> = {};
  try {
    fields = await readStreamedUpload(
      req,
      res,
      {
        field: FIELD,
        maxFiles: config.evidence.maxFiles,
        maxFileBytes: budget.perFile,
        maxTotalBytes: budget.remaining,
      },
      async (name, body) => {
        if (stored.length === 0) await evidence.assertMayUpload(actor, id);
        stored.push(await evidence.ingest(body, name, budget));
      },
    );
    const files = stored.length > 0 ? await evidence.record(actor, id, stored) : [];
    return { body: fields, fileIds: files.filter((f) => f.downloadable).map((f) => f.id) };
  } catch (err) {
    await evidence.discard(stored);
    if (
      !(err instanceof DomainError) ||
      ![DomainErrorCode.PayloadTooLarge, DomainErrorCode.UnsupportedMediaType, DomainErrorCode.InvalidInput].includes(
        err.code as never,
      )
    )
      throw err;
    const errors = formErrors([
      { field: FIELD, text: explainUpload(err), anchor: fieldId(Action.ProposeClosure, FIELD) },
    ]);
    const values = Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('_')));
    return {
      refused: { status: formStatusOf(err.code), errors, posted: { action: Action.ProposeClosure, values, errors } },
    };
  }
}
