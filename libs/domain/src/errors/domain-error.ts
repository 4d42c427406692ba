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

/**
 * One refused input, made once where it is found: the field it is about (a path, e.g. `evidence.0.title`), the
 * rule it broke (a stable name: `required`, `maxLength`, …) and the words for an API client. The API answers
 * with the messages; the pages choose their own words by field and rule.
 */
export interface InputProblem {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
  /** The rule's parameters where the words need them (a maximum length). */
  readonly args?: readonly unknown[];
}

export const inputProblem = (field: string, rule: string, message: string): InputProblem => ({ field, rule, message });

/** A message given as text alone names its field first (`targetDate must be …`), as every message here does. */
const problemOfMessage = (message: string): InputProblem =>
  inputProblem(message.split(/[\s:]/)[0] ?? '', 'invalid', message);

export class DomainError extends Error {
  /** For InvalidInput: the messages, each naming its field, so the edge can list them. */
  readonly details: readonly string[];
  /** For InvalidInput: the same, as field, rule and message. */
  readonly problems: readonly InputProblem[];

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    details: readonly (string | InputProblem)[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
    this.problems = details.map((d) => (typeof d === 'string' ? problemOfMessage(d) : d));
    this.details = this.problems.map((p) => p.message);
  }
}

export const notFound = (what: string): DomainError => new DomainError(DomainErrorCode.NotFound, `${what} not found`);
/** A mutation must name the version it read; another one means someone changed the row since (409). */
export function assertVersion(current: number, given: number, state = ''): void {
  if (current !== given) {
    throw new DomainError(
      DomainErrorCode.StaleVersion,
      `version ${given} is stale: the current version is ${current}${state ? ` (${state})` : ''}`,
    );
  }
}

export const invalidInput = (...problems: (string | InputProblem)[]): DomainError =>
  new DomainError(
    DomainErrorCode.InvalidInput,
    problems.map((p) => (typeof p === 'string' ? p : p.message)).join('; '),
    problems,
  );
