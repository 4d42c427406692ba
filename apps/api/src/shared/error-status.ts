// The one place a domain error code becomes an HTTP status: the JSON API answers with it, and the pages and their forms
// start from it.
import { HttpStatus } from '@nestjs/common';
import { DomainErrorCode } from '#domain';

const STATUS_BY_CODE: Record<DomainErrorCode, HttpStatus> = {
  [DomainErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.StaleVersion]: HttpStatus.CONFLICT,
  [DomainErrorCode.TransitionNotAllowed]: HttpStatus.CONFLICT,
  [DomainErrorCode.InvalidInput]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.Conflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [DomainErrorCode.Unavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [DomainErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [DomainErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
};

/** The reason phrase of each status the mapping gives, for the contract's error body (`error`). */
export const REASON: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Bad Request',
  [HttpStatus.UNAUTHORIZED]: 'Unauthorized',
  [HttpStatus.FORBIDDEN]: 'Forbidden',
  [HttpStatus.NOT_FOUND]: 'Not Found',
  [HttpStatus.CONFLICT]: 'Conflict',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Too Many Requests',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'Service Unavailable',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'Payload Too Large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'Unsupported Media Type',
};

/** The status of a domain error code: what the API answers. */
export const statusOf = (code: DomainErrorCode): HttpStatus => STATUS_BY_CODE[code];

/**
 * The same code when it ends a page request: a page has no bad input of its own (its forms answer with an
 * error summary), so a refused input is a tampered link, nothing to show (404); and a person is never asked
 * for credentials by a status (401 becomes 403; signing in is a redirect).
 */
export function pageStatusOf(code: DomainErrorCode): HttpStatus {
  const status = statusOf(code);
  if (status === HttpStatus.BAD_REQUEST) return HttpStatus.NOT_FOUND;
  if (status === HttpStatus.UNAUTHORIZED) return HttpStatus.FORBIDDEN;
  return status;
}

/**
 * The same code refusing a form, whose page is shown again with the error summary: a file of a type not taken is a
 * problem with its field (400).
 */
export const formStatusOf = (code: DomainErrorCode): HttpStatus =>
  code === DomainErrorCode.UnsupportedMediaType ? HttpStatus.BAD_REQUEST : statusOf(code);
