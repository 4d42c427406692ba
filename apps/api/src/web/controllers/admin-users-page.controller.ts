// `/admin/users`: people, a page at a time; adding one; changing one's name, role, forces and whether they may sign in (UsersService).
import { Body, Controller, Get, NotFoundException, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganisationsService, UsersService, type UserView } from '#application';
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
import { usableCursor } from '../view-models/paging.js';

const LAST_ADMIN = 'This is the last active administrator: make someone else an administrator before changing their role or deactivating them.';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Admin)
@Controller('admin/users')
export class AdminUsersPageController {
  constructor(
    private readonly users: UsersService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(@PageActor() actor: Actor, @Query('after') after: unknown, @Res() res: Response): Promise<void> {
    const cursor = usableCursor(after);
    const [page, organisations] = await Promise.all([this.users.list({ cursor, limit: 50 }), this.allOrganisations(actor)]);
    this.pages.render(res, 'admin/users', userListModel(page, organisations, cursor));
  }

  @Get('new')
  async form(@PageActor() actor: Actor, @Res() res: Response): Promise<void> {
    this.pages.render(res, 'admin/user-new', newUserModel(await this.allOrganisations(actor)));
  }

  @Post('new')
  async create(@PageActor() actor: Actor, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const organisations = await this.allOrganisations(actor);
    const form = readNewUserForm(body);
    const problems = newUserProblems(form, organisations);
    if (problems.length > 0) return this.pages.render(res, 'admin/user-new', newUserModel(organisations, form, problems), 400);
    try {
      const created = await this.users.create(actor, { ...form, role: form.role as Role });
      this.pages.redirect(res, '/admin/users', { heading: `${created.name} has been added`, lines: ['They can now sign in with the password you chose.'] });
    } catch (error) {
      if (isConflict(error)) return this.pages.render(res, 'admin/user-new', newUserModel(organisations, form, [emailInUse]), 409);
      const refusal = userRefusal(error);
      if (!refusal) throw error;
      this.pages.render(res, 'admin/user-new', newUserModel(organisations, form, refusal), 400);
    }
  }

  @Get(':id')
  async edit(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.renderChange(res, actor, await this.user(id));
  }

  @Post(':id')
  async change(@PageActor() actor: Actor, @Param('id') id: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const user = await this.user(id);
    const organisations = await this.allOrganisations(actor);
    const form = readUserChangeForm(body);
    const problems = userChangeProblems(form, organisations);
    if (problems.length > 0 || form.version === null) return this.renderChange(res, actor, user, { form, messages: problems }, 400, organisations);
    try {
      const saved = await this.users.update(actor, id, { version: form.version, name: form.name, role: form.role as Role, organisationIds: form.organisationIds, allOrganisations: form.allOrganisations, active: form.active === 'yes' });
      this.pages.redirect(res, '/admin/users', { heading: `${saved.name}’s details have been saved`, lines: [] });
    } catch (error) {
      // Stale: what is stored now is shown, not what was posted, so that nothing is overwritten unseen.
      if (isStaleVersion(error)) return this.renderChange(res, actor, await this.user(id), { notice: STALE_MESSAGE }, 409, organisations);
      if (isConflict(error)) return this.renderChange(res, actor, user, { form, notice: LAST_ADMIN }, 409, organisations);
      const refusal = userRefusal(error);
      if (!refusal) throw error;
      this.renderChange(res, actor, user, { form, messages: refusal }, 400, organisations);
    }
  }

  private async renderChange(res: Response, actor: Actor, user: UserView, options: UserChangeOptions = {}, status = 200, organisations?: Organisation[]): Promise<void> {
    this.pages.render(res, 'admin/user-change', userChangeModel(user, organisations ?? (await this.allOrganisations(actor)), options), status);
  }

  /** A malformed id is a page that does not exist, like an unknown one. */
  private async user(id: string): Promise<UserView> {
    if (!UUID.test(id)) throw new NotFoundException();
    return this.users.view(id);
  }

  /** Every organisation, to choose forces from; an installation has tens (43 police forces), far below one page's limit. */
  private async allOrganisations(actor: Actor): Promise<Organisation[]> {
    return (await this.organisations.list(actor, { limit: 500 })).items.map((o) => ({ id: o.id, name: o.name }));
  }
}
