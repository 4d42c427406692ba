// Answer shape of /health: whether the database and the queue backend answer.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const PROBE_STATES = ['up', 'down'];

export class HealthChecksResponse {
  @ApiProperty({ enum: PROBE_STATES }) database: 'up' | 'down';
  @ApiProperty({ enum: PROBE_STATES }) redis: 'up' | 'down';
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: 'ok' | 'error' | 'shutting_down';
  @ApiProperty({ type: HealthChecksResponse }) checks: HealthChecksResponse;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "what the drivers said: for an administrator's token only",
  })
  details?: Record<string, unknown>;
}
