// /audit: the audit chain's signed head, for administrators to keep outside the database.
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '#application';
import { Role } from '#domain';
import { AuditCheckpointResponse } from '../shared/dto/audit.dto.js';
import { ApiEndpoint, ApiRoles } from './openapi.js';

@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @ApiRoles(Role.Admin)
  @ApiEndpoint('A signed checkpoint of the audit chain', {
    status: 200,
    body: AuditCheckpointResponse,
    description: 'Keep it: `npm run audit:verify -- --checkpoint FILE` later proves the chain still holds it',
  })
  @Get('checkpoint')
  checkpoint() {
    return this.audit.checkpoint();
  }
}
