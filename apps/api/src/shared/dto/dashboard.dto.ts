// Query and answer shapes of /dashboard: the oversight figures across forces.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDate, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { Dashboard, DashboardCounts, DashboardGroup, DashboardPoint } from '#application';
import type { AgeBand } from '#domain';
import { toIsoDate } from './common.dto.js';

export class DashboardQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) programme?: string;
  @ApiPropertyOptional({ description: 'an area; empty for recommendations without one' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  area?: string;
  @ApiPropertyOptional({ description: 'start of the period: the chart and the closure figures' })
  @IsOptional()
  @Transform(toIsoDate)
  @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;
  @ApiPropertyOptional({ description: 'end of the period (default now)' })
  @IsOptional()
  @Transform(toIsoDate)
  @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;
}

export class DashboardCountsResponse implements DashboardCounts {
  @ApiProperty({ type: Number }) open: number;
  @ApiProperty({ type: Number }) overdue: number;
  @ApiProperty({ type: Number }) closed: number;
}

export class DashboardGroupResponse extends DashboardCountsResponse implements DashboardGroup {
  @ApiProperty({ type: String, description: "the organisation's id, the programme, or the area ('' for none)" })
  key: string;
  @ApiProperty({ type: String }) label: string;
}

export class DashboardPointResponse implements DashboardPoint {
  @ApiProperty({ type: String, example: '2026-03' }) month: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: "the instant counted: the month's end, or now for the current month",
  })
  at: string;
  @ApiProperty({ type: Number }) open: number;
  @ApiProperty({ type: Number }) overdue: number;
}

type DashboardFilter = Dashboard['filter'];

export class DashboardFilterResponse implements DashboardFilter {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organisationId: string | null;
  @ApiProperty({ type: String, nullable: true }) programme: string | null;
  @ApiProperty({ type: String, nullable: true }) area: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) from: string;
  @ApiProperty({ type: String, format: 'date-time' }) to: string;
}

/**
 * How many overdue recommendations, by how long ago their deadline passed (`implements` keeps it to the domain's
 * bands).
 */
export class OverdueByAgeResponse implements Record<AgeBand, number> {
  @ApiProperty({ type: Number }) under_3_months: number;
  @ApiProperty({ type: Number }) '3_to_6_months': number;
  @ApiProperty({ type: Number }) '6_to_12_months': number;
  @ApiProperty({ type: Number }) over_12_months: number;
}

export class DashboardResponse implements Dashboard {
  @ApiProperty({ type: String, format: 'date-time' }) asOf: string;
  @ApiProperty({ type: DashboardFilterResponse }) filter: DashboardFilterResponse;
  @ApiProperty({ type: DashboardCountsResponse }) totals: DashboardCountsResponse;
  @ApiProperty({ type: [DashboardGroupResponse] }) byOrganisation: DashboardGroupResponse[];
  @ApiProperty({ type: [DashboardGroupResponse] }) byProgramme: DashboardGroupResponse[];
  @ApiProperty({ type: [DashboardGroupResponse] }) byArea: DashboardGroupResponse[];
  @ApiProperty({ type: OverdueByAgeResponse }) overdueByAge: OverdueByAgeResponse;
  @ApiProperty({ type: Number, description: 'closed within the period' }) closedInPeriod: number;
  @ApiProperty({ type: Number, description: 'of those, implemented on or before their due date' })
  implementedByDueDate: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: 'null when nothing closed' })
  implementedByDueDateShare: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'median days from publication to closure, for closures in the period',
  })
  medianDaysToClosure: number | null;
  @ApiProperty({ type: Number }) openOverTwelveMonths: number;
  @ApiProperty({ type: [DashboardPointResponse], description: 'open and overdue at each month end of the period' })
  months: DashboardPointResponse[];
}
