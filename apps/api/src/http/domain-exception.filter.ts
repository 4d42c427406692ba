import { Catch, HttpStatus, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DomainError, DomainErrorCode } from '#domain';
import { domainErrorFromDatabase } from '#persistence';

const STATUS_BY_CODE: Record<DomainErrorCode, HttpStatus> = {
  [DomainErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DomainErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [DomainErrorCode.Unauthenticated]: HttpStatus.UNAUTHORIZED,
  [DomainErrorCode.StaleVersion]: HttpStatus.CONFLICT,
  [DomainErrorCode.TransitionNotAllowed]: HttpStatus.CONFLICT,
  [DomainErrorCode.InvalidInput]: HttpStatus.BAD_REQUEST,
  [DomainErrorCode.Conflict]: HttpStatus.CONFLICT,
  [DomainErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
};

const REASON: Partial<Record<HttpStatus, string>> = {
  [HttpStatus.BAD_REQUEST]: 'Bad Request',
  [HttpStatus.UNAUTHORIZED]: 'Unauthorized',
  [HttpStatus.FORBIDDEN]: 'Forbidden',
  [HttpStatus.NOT_FOUND]: 'Not Found',
  [HttpStatus.CONFLICT]: 'Conflict',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Too Many Requests',
};

/**
 * The one place where a domain error code becomes an HTTP status, in the contract's error shape. A
 * database error that escaped a service's runInTransaction goes through the same persistence mapping
 * (a unique violation is a 409 wherever it happens); one the domain cannot explain stays a 500.
 */
@Catch(DomainError, QueryFailedError)
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  catch(caught: DomainError | QueryFailedError, host: ArgumentsHost): void {
    const error = domainErrorFromDatabase(caught);
    if (!error) {
      this.logger.error({ err: caught }, 'database error');
      const statusCode = HttpStatus.INTERNAL_SERVER_ERROR;
      host.switchToHttp().getResponse<Response>().status(statusCode).json({ statusCode, error: 'Internal Server Error', message: 'Internal server error' });
      return;
    }
    const statusCode = STATUS_BY_CODE[error.code];
    const message = error.code === DomainErrorCode.InvalidInput && error.details.length > 0 ? [...error.details] : error.message;
    host.switchToHttp().getResponse<Response>().status(statusCode).json({ statusCode, error: REASON[statusCode], code: error.code, message });
  }
}
