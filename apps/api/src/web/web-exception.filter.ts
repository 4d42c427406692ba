// Every error on a page becomes a GOV.UK page (or a redirect to sign in); nothing internal reaches the browser.
import {
  Catch,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { domainErrorFromDatabase } from '#persistence';
import { pageStatusOf } from '../shared/error-status.js';
import { UploadRefused } from '../shared/request-body/multipart.js';
import { FormExpired, SignInRequired } from './page-errors.js';
import { PageRenderer } from './page-renderer.js';
import { safeReturnTo, signInPath } from './view-models/return-to.js';
import { signInModel } from './view-models/sign-in.js';
import { errorPage } from './view-models/error-page.js';

@Catch()
@Injectable()
export class WebExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('WebPages');

  constructor(private readonly pages: PageRenderer) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (error instanceof SignInRequired) return res.redirect(303, signInPath(req.originalUrl));
    // A CSV download fetched with a bad API token: a plain 401, as the API answers (no page, no redirect).
    if (error instanceof HttpException && error.getStatus() === (HttpStatus.UNAUTHORIZED as number)) {
      return void res.status(401).type('text').send('The API token is invalid or has expired.');
    }
    // A sign-in form left open past the session's end: show it again, ready, rather than an error page.
    if (error instanceof FormExpired && req.path === '/sign-in') {
      return this.pages.render(
        res,
        'sign-in',
        {
          ...signInModel(safeReturnTo(req.query.returnTo)),
          notice: 'The sign-in page had expired. Enter your details again.',
        },
        403,
      );
    }
    const status = statusOf(error);
    if (status === HttpStatus.INTERNAL_SERVER_ERROR) this.logger.error({ err: error, path: req.path }, 'page failed');
    try {
      this.pages.render(
        res,
        'error',
        errorPage(status, error instanceof FormExpired ? 'form_expired' : undefined),
        status,
      );
    } catch (renderError) {
      this.logger.error({ err: renderError }, 'error page failed to render');
      res.status(status).type('text').send('Sorry, there is a problem with the service.');
    }
  }
}

/**
 * Another organisation's data, a malformed id and a missing row all look the same to a person: not found
 * (shared/error-status.ts).
 */
function statusOf(error: unknown): HttpStatus {
  if (error instanceof FormExpired) return HttpStatus.FORBIDDEN;
  // A form's upload cut off, too large or with fields it does not have: said as such, never a 500.
  if (error instanceof UploadRefused) return error.getStatus();
  const domain = domainErrorFromDatabase(error);
  if (domain) return pageStatusOf(domain.code);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === (HttpStatus.BAD_REQUEST as number)) return HttpStatus.NOT_FOUND;
    if (
      [
        HttpStatus.FORBIDDEN,
        HttpStatus.NOT_FOUND,
        HttpStatus.PAYLOAD_TOO_LARGE,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ].includes(status)
    )
      return status;
  }
  return HttpStatus.INTERNAL_SERVER_ERROR;
}
