// Turns what a request threw into the HTTP answer, in the contract's error shape.
import { Catch, HttpStatus, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { DomainErrorCode } from '#domain';
import { domainErrorFromDatabase, isDatabaseError } from '#persistence';

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

const REASON: Partial<Record<HttpStatus, string>> = {
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

/** How long a client should wait before trying again when the database is away (it restarts in seconds). */
const RETRY_AFTER_SECONDS = 5;

/**
 * The one place where a domain error code becomes an HTTP status, in the contract's error shape. A
 * database error that escaped a service's transaction goes through the same persistence mapping
 * (a unique violation is a 409 wherever it happens; an unreachable database a 503 with Retry-After);
 * everything else gets Nest's own answer, and an error nobody can explain stays a 500.
 */
@Catch()
export class DomainExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  override catch(caught: unknown, host: ArgumentsHost): void {
    const error = domainErrorFromDatabase(caught);
    if (!error) {
      if (isDatabaseError(caught)) this.logger.error({ err: caught }, 'database error');
      return super.catch(caught, host);
    }
    const statusCode = STATUS_BY_CODE[error.code];
    const response = host.switchToHttp().getResponse<Response>();
    if (error.code === DomainErrorCode.Unavailable) {
      this.logger.warn({ err: caught }, 'database unreachable');
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    const message = error.code === DomainErrorCode.InvalidInput && error.details.length > 0 ? [...error.details] : error.message;
    response.status(statusCode).json({ statusCode, error: REASON[statusCode], code: error.code, message });
  }
}
