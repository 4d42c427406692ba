// `/`: "My work", what the signed-in person should look at first, by role.
import { Controller, Get, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ToDoService } from '#application';
import { Page } from '#auth';
import type { Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { myWorkModel } from '../view-models/my-work.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller()
export class MyWorkPageController {
  constructor(
    private readonly toDo: ToDoService,
    private readonly pages: PageRenderer,
  ) {}

  @Page()
  @Get()
  async show(@PageActor() actor: Actor, @Res() res: Response): Promise<void> {
    this.pages.render(res, 'my-work', myWorkModel(await this.toDo.myWork(actor)));
  }
}
