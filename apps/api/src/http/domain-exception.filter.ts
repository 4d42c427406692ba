// Turns what a request threw into the HTTP answer, in the contract's error shape.
import { Catch, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { DomainErrorCode } from '#domain';
import { domainErrorFromDatabase, isDatabaseError } from '#persistence';
import { REASON, statusOf } from '../shared/error-status.js';

/** How long a client should wait before trying again when the database is away (it restarts in seconds). */
const RETRY_AFTER_SECONDS = 5;

/**
 * The API's answer to a domain error, in the contract's error shape, with the status of shared/error-status.ts. A
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
