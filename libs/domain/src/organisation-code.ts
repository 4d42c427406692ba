// Organisation codes: what they may hold (A-Z, 0-9, hyphens), so a code is safe in file names, URLs and headers.
import { invalidInput } from './errors/domain-error.js';

export const ORGANISATION_CODE_MAX_LENGTH = 40;
/** A stored code: capital letters, digits and hyphens, 1 to 40 of them. */
export const ORGANISATION_CODE_PATTERN = /^[A-Z0-9-]{1,40}$/;
/** What a person may type: the same in either case, around spaces (stored trimmed, in capitals). */
export const ORGANISATION_CODE_INPUT_PATTERN = /^\s*[A-Za-z0-9-]{1,40}\s*$/;
export const ORGANISATION_CODE_RULE = 'code must be 1 to 40 letters (A-Z), digits (0-9) or hyphens';

/** The code as stored (trimmed, capitals); InvalidInput naming `code` unless it keeps the rule. */
export function normaliseOrganisationCode(code: string): string {
  const stored = code.trim().toUpperCase();
  if (!ORGANISATION_CODE_PATTERN.test(stored)) throw invalidInput(ORGANISATION_CODE_RULE);
  return stored;
}
