// Reading posted form fields that are not plain text: checkbox lists, hidden version numbers, and the outcome of a
// refused change.
import { DomainError, DomainErrorCode } from '#domain';

/** Every value of a repeated field (checkboxes) that is text; a single value counts as a list of one. */
export function listField(body: unknown, name: string): string[] {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The hidden `version` a form was rendered with, or null when it is not a whole number. */
export function versionField(body: unknown): number | null {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).version : undefined;
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

export const isStaleVersion = (error: unknown): boolean =>
  error instanceof DomainError && error.code === DomainErrorCode.StaleVersion;
export const isConflict = (error: unknown): boolean =>
  error instanceof DomainError && error.code === DomainErrorCode.Conflict;
export const isInvalidInput = (error: unknown): error is DomainError =>
  error instanceof DomainError && error.code === DomainErrorCode.InvalidInput;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a person sees after saving a change elsewhere changed the same thing first. */
export const STALE_MESSAGE =
  'Someone changed this while you were editing it. It is shown below as it is now: make your change again if it is still needed.';
