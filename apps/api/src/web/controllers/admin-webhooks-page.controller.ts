// `/admin/webhooks`: subscriptions (administrators; managers their own), the add form with the secret shown once,
// delivery attempts and "Send again".
import { Body, Controller, Get, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { OrganisationsService, WebhooksService } from '#application';
import { Page } from '#auth';
import { Role, notFound, type Actor } from '#domain';
import { PageActor } from '../page-actor.decorator.js';
import { PageRenderer } from '../page-renderer.js';
import { WebExceptionFilter } from '../web-exception.filter.js';
import { UUID, isInvalidInput } from '../view-models/form-fields.js';
import {
  readWebhookForm,
  webhookFormModel,
  webhookListModel,
  webhookModel,
  webhookProblems,
} from '../view-models/admin-webhooks.js';

@ApiExcludeController()
@UseFilters(WebExceptionFilter)
@Page(Role.Admin, Role.Manager)
@Controller('admin/webhooks')
export class AdminWebhooksPageController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async list(@PageActor() actor: Actor, @Res() res: Response): Promise<void> {
    this.pages.render(
      res,
      'admin/webhooks',
      webhookListModel(await this.webhooks.list(actor), await this.forceNames(actor)),
    );
  }

  @Get('new')
  async form(@PageActor() actor: Actor, @Res() res: Response): Promise<void> {
    this.pages.render(res, 'admin/webhook-new', webhookFormModel(await this.forces(actor)));
  }

  @Post('new')
  async create(@PageActor() actor: Actor, @Body() body: unknown, @Res() res: Response): Promise<void> {
    const form = readWebhookForm(body);
    const problems = webhookProblems(form);
    const forces = await this.forces(actor);
    if (problems.length > 0)
      return this.pages.render(res, 'admin/webhook-new', webhookFormModel(forces, form, problems), 400);
    try {
      const { id, secret } = await this.webhooks.create(actor, {
        url: form.url,
        events: form.events,
        organisationIds: form.organisationIds,
        format: form.format,
      });
      // The secret is shown on this answer only (never stored in the session or shown again).
      await this.show(actor, id, res, secret, 201);
    } catch (error) {
      if (!isInvalidInput(error)) throw error;
      this.pages.render(
        res,
        'admin/webhook-new',
        webhookFormModel(forces, form, [{ field: 'url', text: error.message.replace(/^url /, 'The address ') }]),
        400,
      );
    }
  }

  @Get(':id')
  async detail(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.show(actor, id, res);
  }

  @Post(':id/deliveries/:deliveryId/resend')
  async resend(
    @PageActor() actor: Actor,
    @Param('id') id: string,
    @Param('deliveryId') deliveryId: string,
    @Res() res: Response,
  ): Promise<void> {
    if (!UUID.test(id) || !UUID.test(deliveryId)) throw notFound('webhook delivery');
    await this.webhooks.resend(actor, id, deliveryId);
    this.pages.redirect(res, `/admin/webhooks/${id}`, { heading: 'The delivery will be sent again', lines: [] });
  }

  @Post(':id/rotate-secret')
  async rotate(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const { secret } = await this.webhooks.rotateSecret(actor, this.checked(id));
    await this.show(actor, id, res, secret);
  }

  @Post(':id/enable')
  async enable(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.webhooks.enable(actor, this.checked(id));
    this.pages.redirect(res, `/admin/webhooks/${id}`, { heading: 'The webhook is on again', lines: [] });
  }

  @Post(':id/delete')
  async remove(@PageActor() actor: Actor, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.webhooks.remove(actor, this.checked(id));
    this.pages.redirect(res, '/admin/webhooks', { heading: 'The webhook was deleted', lines: [] });
  }

  private async show(
    actor: Actor,
    id: string,
    res: Response,
    secret: string | null = null,
    status = 200,
  ): Promise<void> {
    const subscription = await this.webhooks.get(actor, this.checked(id));
    const deliveries = await this.webhooks.deliveries(actor, id);
    this.pages.render(
      res,
      'admin/webhook',
      webhookModel(subscription, deliveries, await this.forceNames(actor), secret),
      status,
    );
  }

  private checked(id: string): string {
    if (!UUID.test(id)) throw notFound('webhook subscription');
    return id;
  }

  private async forces(actor: Actor): Promise<{ id: string; name: string }[]> {
    return (await this.organisations.list(actor, { limit: 500 })).items.map((o: { id: string; name: string }) => ({
      id: o.id,
      name: o.name,
    }));
  }

  private async forceNames(actor: Actor): Promise<Map<string, string>> {
    return new Map((await this.forces(actor)).map((f) => [f.id, f.name]));
  }
}
