/**
 * Errors the domain and application layers raise. Codes are stable: clients and logs rely on them.
 * Only the HTTP edge (apps/api) maps a code to a status.
 */
export const DomainErrorCode = {
  NotFound: 'NOT_FOUND',
  Forbidden: 'FORBIDDEN',
  Unauthenticated: 'UNAUTHENTICATED',
  StaleVersion: 'STALE_VERSION',
  TransitionNotAllowed: 'TRANSITION_NOT_ALLOWED',
  InvalidInput: 'INVALID_INPUT',
  Conflict: 'CONFLICT',
  RateLimited: 'RATE_LIMITED',
  /** A service the request needs (the database) cannot be reached right now: try again shortly. */
  Unavailable: 'UNAVAILABLE',
  /** An upload over its size limit (413). */
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** An upload of a type the allow-list does not hold (415). */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
} as const;
export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** For InvalidInput: the bad field names, so the edge can list them. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError => new DomainError(DomainErrorCode.NotFound, `${what} not found`);
/** A mutation must name the version it read; another one means someone changed the row since (409). */
export function assertVersion(current: number, given: number, state = ''): void {
  if (current !== given) {
    throw new DomainError(DomainErrorCode.StaleVersion, `version ${given} is stale: the current version is ${current}${state ? ` (${state})` : ''}`);
  }
}

export const invalidInput = (...messages: string[]): DomainError =>
  new DomainError(DomainErrorCode.InvalidInput, messages.join('; '), messages);
