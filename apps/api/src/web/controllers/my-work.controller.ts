// `/`: "My work", what the signed-in person should look at first, by role.
import { Controller, Get, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Page } from '#auth';
import type { Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { pageTitle } from '../page-title.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class MyWorkController {
  constructor(private readonly pages: PageRenderer) {}

  @Page()
  @Get()
  show(@PageActor() actor: Actor, @Res() res: Response): void {
    this.pages.render(res, 'my-work', { pageTitle: pageTitle('My work'), role: actor.role });
  }
}
