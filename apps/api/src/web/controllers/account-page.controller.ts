// `/account` pages: the signed-in person's details and notification preference (the same UsersService.updatePreferences
// as PATCH /users/me), and `/account/calendar`: their calendar feed link, which `Replace calendar link` renews.
import { Body, Controller, Get, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CalendarService, OrganisationsService, UsersService, type UserView } from '#application';
import { Page } from '#auth';
import { APP_CONFIG, type AppConfig } from '#config';
import type { Actor } from '#domain';
import { calendarFeedUrl } from '../../app-links.js';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { pageTitle } from '../page-title.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import {
  accountModel,
  preferenceProblems,
  readPreferenceForm,
  type AccountPageOptions,
} from '../view-models/account.js';
import { textField } from '../view-models/form-errors.js';
import { isStaleVersion, STALE_MESSAGE } from '../view-models/form-fields.js';
import { calendarLinkModel } from '../view-models/records/calendar-link.js';
import { safeReturnTo } from '../view-models/return-to.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page()
@Controller('account')
export class AccountPageController {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly calendar: CalendarService,
    private readonly pages: PageRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async show(@PageActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(req, res, actor, {});
  }

  @Post('notifications')
  async savePreference(
    @PageActor() actor: Actor,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = readPreferenceForm(body);
    const problems = preferenceProblems(form);
    if (problems.length > 0 || form.reminderDelivery === null || form.version === null) {
      return this.render(req, res, actor, { chosen: form.reminderDelivery, messages: problems }, 400);
    }
    try {
      await this.users.updatePreferences(actor, { version: form.version, reminderDelivery: form.reminderDelivery });
    } catch (error) {
      if (!isStaleVersion(error)) throw error;
      return this.render(req, res, actor, { notice: STALE_MESSAGE }, 409);
    }
    this.pages.redirect(res, '/account', { heading: 'Your notification preference has been saved', lines: [] });
  }

  @Get('calendar')
  async showCalendarLink(@PageActor() actor: Actor, @Req() req: Request, @Res() res: Response): Promise<void> {
    const calendarLink = calendarLinkModel(req, await this.calendar.hasToken(actor), '/account/calendar');
    this.pages.render(res, 'calendar-link', { pageTitle: pageTitle('Your calendar'), calendarLink });
  }

  @Post('calendar-link')
  async replaceCalendarLink(
    @PageActor() actor: Actor,
    @Body() body: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { token } = await this.calendar.replaceToken(actor);
    req.session.newCalendarUrl = calendarFeedUrl(this.config, token);
    this.pages.redirect(res, safeReturnTo(textField(body, 'returnTo') || '/account/calendar'), {
      heading: 'New calendar link made',
      lines: ['The old link no longer works.'],
    });
  }

  private async render(
    req: Request,
    res: Response,
    actor: Actor,
    options: AccountPageOptions,
    status = 200,
  ): Promise<void> {
    const [user, hasCalendarLink] = await Promise.all([this.users.view(actor.id), this.calendar.hasToken(actor)]);
    const calendarLink = calendarLinkModel(req, hasCalendarLink, '/account');
    // Signed in with their organisation account: no password here to change (docs/identity.md).
    this.pages.render(
      res,
      'account',
      {
        ...accountModel(user, await this.organisationNames(actor, user), options),
        calendarLink,
        singleSignOn: Boolean(req.session.oidcIdToken),
      },
      status,
    );
  }

  /** The names of the person's own forces: those they see, when they are scoped to some. */
  private async organisationNames(actor: Actor, user: UserView): Promise<Map<string, string>> {
    if (user.organisationIds.length === 0) return new Map();
    const { items } = await this.organisations.list(actor, { limit: 500 });
    return new Map(items.map((o) => [o.id, o.name]));
  }
}
