// /calendar: a person's deadlines as an iCalendar feed; public, as the token in the link is the credential.
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CalendarService, calendarEtag } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { CALENDAR_ORGANIZER_NAME, notFound } from '#domain';
import { appBaseUrl } from '../app-links.js';
import { ApiEndpoint, ApiPublic, textBody } from './openapi.js';

@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiPublic()
  @ApiEndpoint('The deadlines of the person whose feed link this is, as all-day events', {
    status: 200,
    body: textBody('text/calendar', 'iCalendar (RFC 5545)'),
    also: [{ status: 304, description: "Not modified: the client's copy (If-None-Match) is current" }],
    errors: [404],
  })
  @Get(':file')
  async feed(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (!file.endsWith('.ics')) throw notFound('calendar');
    // The events' ORGANIZER is the sender of the reminders that attach them (MAIL_FROM), as in every attachment.
    const organizer = { email: this.config.env.MAIL_FROM, name: CALENDAR_ORGANIZER_NAME };
    const ics = await this.calendar.feed(file.slice(0, -'.ics'.length), appBaseUrl(this.config), organizer);
    const etag = calendarEtag(ics);
    res.setHeader('etag', etag);
    res.setHeader('cache-control', 'private, no-cache');
    const noneMatch = req.headers['if-none-match'];
    if (noneMatch && noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return;
    }
    res.status(200).setHeader('content-type', 'text/calendar; charset=utf-8');
    res.send(ics);
  }
}
