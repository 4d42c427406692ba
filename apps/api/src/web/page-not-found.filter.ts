// A browser asking for a path nothing serves gets the GOV.UK "Page not found" page; API clients keep Nest's JSON 404.
import { Catch, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { wantsPage } from '../shared/negotiation.js';
import { PageRenderer } from './page-renderer.js';
import { errorPage } from './view-models/error-page.js';

@Catch(NotFoundException)
export class PageNotFoundFilter extends BaseExceptionFilter {
  constructor(private readonly pages: PageRenderer) {
    super();
  }

  override catch(exception: NotFoundException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    if (!wantsPage(req)) return super.catch(exception, host);
    this.pages.render(host.switchToHttp().getResponse<Response>(), 'error', errorPage(404), 404);
  }
}
