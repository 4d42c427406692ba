// `/admin/users`: people, a page at a time; adding one; changing one's name, role, forces and whether they may sign in
// (UsersService).
import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AccountLinksService,
  ApiTokensService,
  identitySettings,
  OrganisationsService,
  TwoFactorService,
  UsersService,
  type UserView,
} from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { Page } from '#auth';
import { Role, type Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import {
  emailInUse,
  newUserModel,
  newUserProblems,
  readNewUserForm,
  readUserChangeForm,
  userChangeModel,
  userChangeProblems,
  userListModel,
  userRefusal,
  type Organisation,
  type UserChangeOptions,
} from '../view-models/admin-users.js';
import { isConflict, isStaleVersion, STALE_MESSAGE, UUID } from '../view-models/form-fields.js';
import { tokenRows } from '../view-models/api-tokens.js';
import { usableCursor } from '../view-models/paging.js';
import { invitationModel, lifetimeText } from '../view-models/admin-invitation.js';

const LAST_ADMIN =
  'This is the last active administrator: make someone else an administrator before changing their role or deactivating them.';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Admin)
@Controller('admin/users')
export class AdminUsersPageController {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
    private readonly links: AccountLinksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly twoFactor: TwoFactorService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  @Get()
  async list(@PageActor() actor: Actor, @Query('after') after: unknown, @Res() res: Response): Promise<void> {
    const cursor = usableCursor(after);
    const [page, organisations] = await Promise.all([
      this.users.list({ cursor, limit: 50 }),
      this.allOrganisations(actor),
    ]);
    this.pages.render(res, 'admin/users', userListModel(page, organisations, cursor));
  }

  @Get('new')
  async form(@PageActor() actor: Actor, @Res() res: Response): Promise<void> {
    this.renderNew(res, newUserModel(await this.allOrganisations(actor)));
  }

  @Post('new')
  async create(@PageActor() actor: Actor, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const organisations = await this.allOrganisations(actor);
    const form = readNewUserForm(body);
    const problems = newUserProblems(form, organisations);
    if (problems.length > 0) return this.renderNew(res, newUserModel(organisations, form, problems), 400);
    try {
      const created = await this.links.invite(actor, { ...form, role: form.role as Role });
      this.pages.redirect(res, '/admin/users', {
        heading: `${created.name} has been added`,
        lines: [`We have emailed ${created.email} an invitation to choose their password.`],
      });
    } catch (error) {
      if (isConflict(error)) return this.renderNew(res, newUserModel(organisations, form, [emailInUse]), 409);
      const refusal = userRefusal(error);
      if (!refusal) throw error;
      this.renderNew(res, newUserModel(organisations, form, refusal), 400);
    }
  }

  @Get(':id')
  async edit(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.renderChange(res, actor, await this.user(id));
  }

  @Post(':id')
  async change(
    @PageActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    const user = await this.user(id);
    const organisations = await this.allOrganisations(actor);
    const form = readUserChangeForm(body);
    const problems = userChangeProblems(form, organisations);
    if (problems.length > 0 || form.version === null)
      return this.renderChange(res, actor, user, { form, messages: problems }, 400, organisations);
    try {
      const saved = await this.users.update(actor, id, {
        version: form.version,
        name: form.name,
        role: form.role as Role,
        organisationIds: form.organisationIds,
        allOrganisations: form.allOrganisations,
        active: form.active === 'yes',
      });
      this.pages.redirect(res, '/admin/users', { heading: `${saved.name}’s details have been saved`, lines: [] });
    } catch (error) {
      // Stale: what is stored now is shown, not what was posted, so that nothing is overwritten unseen.
      if (isStaleVersion(error))
        return this.renderChange(res, actor, await this.user(id), { notice: STALE_MESSAGE }, 409, organisations);
      if (isConflict(error))
        return this.renderChange(res, actor, user, { form, notice: LAST_ADMIN }, 409, organisations);
      const refusal = userRefusal(error);
      if (!refusal) throw error;
      await this.renderChange(res, actor, user, { form, messages: refusal }, 400, organisations);
    }
  }

  /**
   * A new invitation (the earlier link stops working), or a refusal shown on the page (already accepted, deactivated).
   */
  @Post(':id/invitation')
  async resendInvitation(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const user = await this.user(id);
    try {
      await this.links.resendInvitation(actor, id);
    } catch (error) {
      if (!isConflict(error)) throw error;
      return this.renderChange(
        res,
        actor,
        user,
        { notice: `The invitation was not sent: ${(error as Error).message}.` },
        409,
      );
    }
    this.pages.redirect(res, `/admin/users/${id}`, {
      heading: 'Invitation sent again',
      lines: [`We are emailing ${user.email} a new link; the earlier one no longer works.`],
    });
  }

  @Post(':id/invitation/revoke')
  async revokeInvitation(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const user = await this.user(id);
    try {
      await this.links.revokeInvitation(actor, id);
    } catch (error) {
      if (!isConflict(error)) throw error;
      return this.renderChange(res, actor, user, { notice: 'There is no pending invitation to revoke.' }, 409);
    }
    this.pages.redirect(res, `/admin/users/${id}`, {
      heading: 'Invitation revoked',
      lines: ['Its link no longer works.'],
    });
  }

  @Post(':id/two-factor/reset')
  async resetTwoFactor(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const user = await this.user(id);
    try {
      await this.twoFactor.reset(actor, id);
    } catch (error) {
      if (!isConflict(error)) throw error;
      return this.renderChange(res, actor, user, { notice: 'Two-factor sign-in is not on for this person.' }, 409);
    }
    this.pages.redirect(res, `/admin/users/${id}`, {
      heading: 'Two-factor sign-in reset',
      lines: [`${user.name} sets it up again at their next sign-in, if their role requires it.`],
    });
  }

  private renderNew(res: Response, model: ReturnType<typeof newUserModel>, status = 200): void {
    this.pages.render(
      res,
      'admin/user-new',
      { ...model, inviteLasts: lifetimeText(identitySettings(this.config).inviteTtlMs) },
      status,
    );
  }

  private async renderChange(
    res: Response,
    actor: Actor,
    user: UserView,
    options: UserChangeOptions = {},
    status = 200,
    organisations?: Organisation[],
  ): Promise<void> {
    const [choices, invitation, twoFactor, tokens] = await Promise.all([
      organisations ?? this.allOrganisations(actor),
      this.links.invitationStatus(user.id),
      this.twoFactor.status(user.id, user.role as Role),
      this.apiTokens.list(user.id),
    ]);
    const twoFactorModel = { on: twoFactor.enabled, resetAction: `/admin/users/${user.id}/two-factor/reset` };
    this.pages.render(
      res,
      'admin/user-change',
      {
        ...userChangeModel(user, choices, options),
        invitation: invitationModel(user.id, invitation),
        twoFactor: twoFactorModel,
        tokens: tokenRows(tokens, (tokenId) => `/admin/users/${user.id}/api-tokens/${tokenId}/revoke`, new Date()),
      },
      status,
    );
  }

  /** A malformed id is a page that does not exist, like an unknown one. */
  private async user(id: string): Promise<UserView> {
    if (!UUID.test(id)) throw new NotFoundException();
    return this.users.view(id);
  }

  /**
   * Every organisation, to choose forces from; an installation has tens (43 police forces), far below one page's limit.
   */
  private async allOrganisations(actor: Actor): Promise<Organisation[]> {
    return (await this.organisations.list(actor, { limit: 500 })).items.map((o) => ({ id: o.id, name: o.name }));
  }
}
