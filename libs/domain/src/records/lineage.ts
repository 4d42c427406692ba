// When one recommendation may be recorded as superseded by another.
import { invalidInput } from '../errors/domain-error.js';

export interface LineageEnd {
  id: string;
  inspectionId: string;
  /** Publication of its inspection. */
  publishedAt: Date;
}

/**
 * A recommendation is superseded by one of a later inspection: never by itself, nor by one of the same
 * or an earlier report. Throws InvalidInput naming `supersededById`.
 */
export function assertSupersedes(closing: LineageEnd, replacement: LineageEnd): void {
  if (replacement.id === closing.id) throw invalidInput('supersededById must name another recommendation');
  if (replacement.inspectionId === closing.inspectionId || replacement.publishedAt <= closing.publishedAt) {
    throw invalidInput('supersededById must name a recommendation of a later inspection');
  }
}
