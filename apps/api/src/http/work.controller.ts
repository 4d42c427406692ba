// /work: how much waits on the caller, by group: the counts behind the web's "My work".
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ToDoService } from '#application';
import { ALL_ROLES, type Actor } from '#domain';
import { CurrentActor } from './actor.decorator.js';
import { WorkCountsResponse } from '../shared/dto/work.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';

@ApiTags('work')
@Controller('work')
export class WorkController {
  constructor(private readonly toDo: ToDoService) {}

  @ApiRoles(...ALL_ROLES)
  @ApiEndpoint("Counts of what waits on the caller (the web's My work lists exactly these)", {
    status: 200,
    body: WorkCountsResponse,
  })
  @Get()
  counts(@CurrentActor() actor: Actor) {
    return this.toDo.counts(actor);
  }
}
