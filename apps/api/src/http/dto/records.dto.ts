// Query parameters of the oversight and records endpoints.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { toIsoDate } from './common.dto.js';

export class DashboardQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'organisationId must be a UUID' }) organisationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) programme?: string;
  @ApiPropertyOptional({ description: 'an area; empty for recommendations without one' }) @IsOptional() @IsString() @MaxLength(200) area?: string;
  @ApiPropertyOptional({ description: 'start of the period: the chart and the closure figures' })
  @IsOptional() @Transform(toIsoDate) @IsDate({ message: 'from must be an ISO 8601 date' }) from?: Date;
  @ApiPropertyOptional({ description: 'end of the period (default now)' })
  @IsOptional() @Transform(toIsoDate) @IsDate({ message: 'to must be an ISO 8601 date' }) to?: Date;
}

export class FormatQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'] }) @IsOptional() @IsIn(['json', 'csv'], { message: 'format must be json or csv' }) format?: 'json' | 'csv';
}
