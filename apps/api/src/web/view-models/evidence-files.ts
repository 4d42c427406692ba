// The evidence files section of a recommendation page, and the upload page: each file with its size, type and scan
// result in words.
import type { EvidenceFileView } from '#application';
import { Role, type Actor } from '#domain';
import { SCAN_IN_WORDS, sizeInWords, typeInWords } from '#evidence';
import { londonDateTime, type Tag } from './format.js';

const SCAN_TAGS: Record<string, string> = {
  pending: 'govuk-tag--yellow',
  clean: 'govuk-tag--green',
  infected: 'govuk-tag--red',
  unscanned: 'govuk-tag--grey',
};

export interface EvidenceFileRowModel {
  id: string;
  name: string;
  /** The download link, only for a file that may be downloaded. */
  href: string | null;
  type: string;
  size: string;
  uploaded: string;
  by: string;
  scan: Tag;
  withdrawn: string | null;
  /** The withdraw form's action, only for the uploader while it can still be withdrawn. */
  withdrawAction: string | null;
}

export interface EvidenceFilesModel {
  id: string;
  rows: EvidenceFileRowModel[];
  /**
   * The upload form's action (the template adds the CSRF token to its query: checked before the body is read), or null.
   */
  uploadAction: string | null;
  uploadHref: string;
  maxSize: string;
}

/** Whether `actor` may add files to a recommendation in `status` (their force's liaison, not closed). */
export const mayUpload = (actor: Actor, status: string): boolean => actor.role === Role.Liaison && status !== 'closed';

export function evidenceFilesModel(input: {
  actor: Actor;
  recommendationId: string;
  status: string;
  files: readonly EvidenceFileView[];
  userNames: ReadonlyMap<string, string>;
  maxBytes: number;
}): EvidenceFilesModel {
  const { actor, recommendationId, status } = input;
  return {
    id: recommendationId,
    rows: input.files.map((f) => ({
      id: f.id,
      name: f.name,
      href: f.downloadable ? `/evidence/files/${f.id}/content` : null,
      type: typeInWords(f.type),
      size: sizeInWords(f.size),
      uploaded: londonDateTime(f.uploadedAt),
      by: input.userNames.get(f.uploadedBy) ?? 'someone no longer here',
      scan: {
        text: f.signature ? `${SCAN_IN_WORDS[f.scan]} (${f.signature})` : (SCAN_IN_WORDS[f.scan] ?? f.scan),
        classes: SCAN_TAGS[f.scan] ?? '',
      },
      withdrawn: f.withdrawnAt ? londonDateTime(f.withdrawnAt) : null,
      withdrawAction:
        !f.withdrawnAt && f.uploadedBy === actor.id && status !== 'closed' ? `/evidence/files/${f.id}/withdraw` : null,
    })),
    uploadAction: mayUpload(actor, status) ? `/recommendations/${recommendationId}/evidence/files` : null,
    uploadHref: `/recommendations/${recommendationId}/evidence/files`,
    maxSize: sizeInWords(input.maxBytes),
  };
}
