// `/account/calendar`: the calendar feed link; `POST /account/calendar-link` (`Replace calendar link`) makes a new one.
import { Body, Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CalendarService } from '#application';
import { Page } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import type { Actor } from '#domain';
import { Inject } from '@nestjs/common';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { pageTitle } from '../page-title.js';
import { safeReturnTo } from '../view-models/return-to.js';
import { textField } from '../view-models/form-errors.js';
import { calendarLinkModel } from '../view-models/records/calendar-link.js';
import { WebExceptionFilter } from '../web-exception.filter.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Controller('account')
export class CalendarLinkPageController {
  constructor(
    private readonly calendar: CalendarService,
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Page()
  @Get('calendar')
  async show(@PageActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    const calendarLink = calendarLinkModel(req, await this.calendar.hasToken(actor), '/account/calendar');
    this.pages.render(res, 'calendar-link', { pageTitle: pageTitle('Your calendar'), calendarLink });
  }

  @Page()
  @Post('calendar-link')
  async replace(@PageActor() actor: Actor, @Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { token } = await this.calendar.replaceToken(actor);
    req.session.newCalendarUrl = `${this.config.env.APP_BASE_URL.replace(/\/$/, '')}/calendar/${token}.ics`;
    this.pages.redirect(res, safeReturnTo(textField(body, 'returnTo') || '/account/calendar'), { heading: 'New calendar link made', lines: ['The old link no longer works.'] });
  }
}
