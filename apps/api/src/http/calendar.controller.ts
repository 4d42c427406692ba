// The calendar feed (public: the token is the credential) and replacing one's own token.
import { Controller, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CalendarService } from '#application';
import { Public, Roles } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import { ALL_ROLES, notFound, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';

@ApiTags('calendar')
@Controller()
export class CalendarController {
  constructor(
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('calendar/:file')
  async feed(@Param('file') file: string, @Res() res: Response): Promise<void> {
    if (!file.endsWith('.ics')) throw notFound('calendar');
    const ics = await this.calendar.feed(file.slice(0, -'.ics'.length), this.config.env.APP_BASE_URL.replace(/\/$/, ''));
    res.status(200).setHeader('content-type', 'text/calendar; charset=utf-8');
    res.setHeader('cache-control', 'private, no-cache');
    res.send(ics);
  }

  /** A new feed link for the caller; the old one answers 404 from now on. */
  @ApiBearerAuth()
  @Roles(...ALL_ROLES)
  @Post('users/me/calendar-token')
  @HttpCode(201)
  async replaceToken(@CurrentActor() actor: Actor) {
    const { token } = await this.calendar.replaceToken(actor);
    return { token, url: `${this.config.env.APP_BASE_URL.replace(/\/$/, '')}/calendar/${token}.ics` };
  }
}
