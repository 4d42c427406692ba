// /webhooks: subscriptions to events (administrators; managers for their own forces), secrets shown once, deliveries
// and "send again".
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExtraModels, ApiTags } from '@nestjs/swagger';
import { WebhooksService } from '#application';
import { Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import {
  CreateWebhookRequest,
  RotateSecretRequest,
  SecretRotatedResponse,
  WebhookCreatedResponse,
  WebhookDeliveryListResponse,
  WebhookListResponse,
  WebhookPayload,
  WebhookResponse,
} from '../shared/dto/webhooks.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';
import { uuidParam } from '../shared/validation.js';

@ApiTags('webhooks')
@ApiExtraModels(WebhookPayload)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @ApiRoles(Role.Admin, Role.Manager)
  @ApiEndpoint('Subscribe an endpoint to events; the signing secret is in this answer only', {
    status: 201,
    body: WebhookCreatedResponse,
    errors: [400],
  })
  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookRequest) {
    return this.webhooks.create(actor, body);
  }

  @ApiRoles(Role.Admin, Role.Manager)
  @ApiEndpoint('Subscriptions: every one for an administrator, their own for a manager', {
    status: 200,
    body: WebhookListResponse,
  })
  @Get()
  async list(@CurrentActor() actor: Actor) {
    return { items: await this.webhooks.list(actor) };
  }

  @ApiRoles(Role.Admin, Role.Manager)
  @ApiEndpoint('One subscription', { status: 200, body: WebhookResponse, errors: [404] })
  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.webhooks.get(actor, id);
  }

  @ApiRoles(Role.Admin, Role.Manager)
  @ApiEndpoint('Delete a subscription; deliveries not yet sent are cancelled', { status: 204, errors: [404] })
  @HttpCode(204)
  @Delete(':id')
  async remove(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    await this.webhooks.remove(actor, id);
  }

  @ApiRoles(Role.Admin, Role.Manager)
  @ApiEndpoint('A new signing secret; the previous one also signs until the overlap ends', {
    status: 200,
    body: SecretRotatedResponse,
    errors: [400, 404],
  })
  @HttpCode(200)
  @Post(':id/rotate-secret')
  rotate(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string, @Body() body: RotateSecretRequest) {
    return this.webhooks.rotateSecret(actor, id, body.overlap);
  }

  @ApiRoles(Role.Admin, Role.Manager)
  @ApiEndpoint('Turn a disabled endpoint back on', { status: 200, body: WebhookResponse, errors: [404] })
  @HttpCode(200)
  @Post(':id/enable')
  enable(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return this.webhooks.enable(actor, id);
  }

  @ApiRoles(Role.Admin, Role.Manager)
  @ApiEndpoint("The subscription's latest 100 deliveries with their attempts, newest first", {
    status: 200,
    body: WebhookDeliveryListResponse,
    errors: [404],
  })
  @Get(':id/deliveries')
  async deliveries(@CurrentActor() actor: Actor, @Param('id', uuidParam()) id: string) {
    return { items: await this.webhooks.deliveries(actor, id) };
  }

  @ApiRoles(Role.Admin, Role.Manager)
  @ApiEndpoint('Send a finished delivery again, now, under the same webhook-id', {
    status: 202,
    description: 'Accepted',
    errors: [404, 409],
  } as never)
  @HttpCode(202)
  @Post(':id/deliveries/:deliveryId/resend')
  async resend(
    @CurrentActor() actor: Actor,
    @Param('id', uuidParam()) id: string,
    @Param('deliveryId', uuidParam('deliveryId')) deliveryId: string,
  ) {
    await this.webhooks.resend(actor, id, deliveryId);
  }
}
