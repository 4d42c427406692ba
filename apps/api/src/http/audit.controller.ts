// GET /audit/checkpoint: the audit chain's signed head, for administrators to keep outside the database.
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '#application';
import { Roles } from '#auth';
import { Role } from '#domain';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Roles(Role.Admin)
  @Get('checkpoint')
  @ApiOperation({
    summary: 'Signed { position, hash } of the audit chain; keep it, and `npm run audit:verify -- --checkpoint FILE` later proves the chain still holds it',
  })
  checkpoint() {
    return this.audit.checkpoint();
  }
}
