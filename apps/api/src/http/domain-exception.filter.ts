// Turns what a request threw into the HTTP answer, in the contract's error shape.
import { Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { DomainError, DomainErrorCode } from '#domain';
import { domainErrorFromDatabase, isDatabaseError } from '#persistence';
import { REASON, statusOf } from '../shared/error-status.js';

/** How long a client should wait before trying again when the database is away (it restarts in seconds). */
const RETRY_AFTER_SECONDS = 5;

/**
 * The API's answer to a domain error, in the contract's error shape, with the status of shared/error-status.ts. A
 * database error that escaped a service's transaction goes through the same persistence mapping
 * (a unique violation is a 409 wherever it happens; an unreachable database a 503 with Retry-After);
 * a body parser's refusal (too large, unreadable) the same way; everything else gets Nest's own answer, and an error
 * nobody can explain stays a 500.
 */
@Catch()
export class DomainExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  override catch(caught: unknown, host: ArgumentsHost): void {
    const error = domainErrorFromDatabase(caught) ?? bodyParserRefusal(caught);
    if (!error) {
      if (isDatabaseError(caught)) this.logger.error({ err: caught }, 'database error');
      return super.catch(caught, host);
    }
    const statusCode = statusOf(error.code);
    const response = host.switchToHttp().getResponse<Response>();
    if (error.code === DomainErrorCode.Unavailable) {
      this.logger.warn({ err: caught }, 'database unreachable');
      response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    }
    const message =
      error.code === DomainErrorCode.InvalidInput && error.details.length > 0 ? [...error.details] : error.message;
    response.status(statusCode).json({ statusCode, error: REASON[statusCode], code: error.code, message });
  }
}

/**
 * body-parser refuses a body before any route runs; Nest's Express adapter hands its http-errors error on as an
 * HttpException with a plain-text answer and the original as its cause. As a domain error it is answered like
 * every other refusal: too large 413, a type or charset it cannot read 415, anything else it cannot read 400.
 */
function bodyParserRefusal(caught: unknown): DomainError | null {
  if (!(caught instanceof HttpException) || typeof caught.getResponse() !== 'string') return null;
  const cause = caught.cause as { status?: unknown; expose?: unknown } | undefined;
  if (typeof cause?.status !== 'number' || cause.expose !== true) return null;
  const code =
    cause.status === 413
      ? DomainErrorCode.PayloadTooLarge
      : cause.status === 415
        ? DomainErrorCode.UnsupportedMediaType
        : DomainErrorCode.InvalidInput;
  return new DomainError(code, caught.message);
}
