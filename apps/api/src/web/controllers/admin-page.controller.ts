// `/admin`: the administrator's starting point, linking to organisations, users and follow-up policies.
import { Controller, Get, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Page } from '#auth';
import { Role } from '#domain';
import { PageRenderer } from '../page-renderer.js';
import { pageTitle } from '../page-title.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Admin)
@Controller('admin')
export class AdminPageController {
  constructor(private readonly pages: PageRenderer) {}

  @Get()
  show(@Res() res: Response): void {
    this.pages.render(res, 'admin/index', { pageTitle: pageTitle('Admin') });
  }
}
