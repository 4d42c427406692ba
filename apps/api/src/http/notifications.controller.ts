// /notifications: the delivery ledger, as the caller may see it.
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { LedgerService } from '#application';
import { Role, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { NotificationListQuery, NotificationPage } from '../shared/dto/notifications.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly ledger: LedgerService) {}

  @ApiRoles(Role.Admin, Role.Manager, Role.Inspector)
  @ApiEndpoint('List the ledger: one row per notice and recipient (inspectors: of the inspections they lead)', {
    status: 200,
    body: NotificationPage,
    errors: [400],
  })
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: NotificationListQuery) {
    const { limit, cursor, ...filter } = query;
    return this.ledger.list(actor, filter, { limit, cursor });
  }
}
