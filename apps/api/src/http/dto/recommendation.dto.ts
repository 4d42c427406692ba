import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, IsUrl, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { AGE_BANDS, ALL_ACTIONS, ALL_STATUSES, type AgeBand, NotificationKind, NotificationStatus, Outcome, PlanResponse, Rag } from '#domain';
import { PageQuery, toBoolean, toIsoDate } from './common.dto.js';

/** Evidence items one closure proposal may carry. */
export const MAX_EVIDENCE_PER_PROPOSAL = 100;

const values = (o: object) => Object.values(o) as string[];

export class EvidenceRequest {
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'title is required' }) @MaxLength(500) title: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_tld: false }, { message: 'url must be a URL' }) url?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) note?: string;
}

/** One body for every action; which fields an action takes and needs is the domain's transition table. */
export class TransitionRequest {
  @ApiProperty({ enum: ALL_ACTIONS }) @IsIn(ALL_ACTIONS, { message: `action must be one of: ${ALL_ACTIONS.join(', ')}` }) action: string;
  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) comment?: string;
  @ApiPropertyOptional({ enum: values(PlanResponse) })
  @IsOptional() @IsIn(values(PlanResponse), { message: `response must be one of: ${values(PlanResponse).join(', ')}` })
  response?: PlanResponse;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) owner?: string;
  @ApiPropertyOptional({ description: 'the planned actions: text, or a list of lines' })
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join('\n') : value))
  @IsString({ message: 'actions must be text or a list of text' })
  @MaxLength(20_000)
  actions?: string;
  @ApiPropertyOptional({ example: '2026-03-31' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'targetDate must be an ISO 8601 date such as 2026-03-31' })
  @Transform(({ value }) => (typeof value === 'string' ? value.slice(0, 10) : value), { toClassOnly: true })
  targetDate?: string;
  @ApiPropertyOptional({ enum: values(Rag) }) @IsOptional() @IsIn(values(Rag), { message: 'rag must be one of: green, amber, red' }) rag?: Rag;
  @ApiPropertyOptional({ type: [EvidenceRequest] })
  @IsOptional() @IsArray({ message: 'evidence must be an array' }) @ArrayMinSize(1, { message: 'evidence must list at least one item' })
  @ArrayMaxSize(MAX_EVIDENCE_PER_PROPOSAL, { message: `evidence must list at most ${MAX_EVIDENCE_PER_PROPOSAL} items` })
  @ValidateNested({ each: true }) @Type(() => EvidenceRequest)
  evidence?: EvidenceRequest[];
  @ApiPropertyOptional({ enum: values(Outcome) })
  @IsOptional() @IsIn(values(Outcome), { message: `outcome must be one of: ${values(Outcome).join(', ')}` })
  outcome?: Outcome;
  @ApiPropertyOptional({ description: 'with close as superseded: the recommendation of a later inspection that replaces it' })
  @IsOptional() @IsUUID('all', { message: 'supersededById must be a UUID' }) supersededById?: string;
}

export class RecommendationListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'organisationId must be a UUID' }) organisationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'inspectionId must be a UUID' }) inspectionId?: string;
  @ApiPropertyOptional({ enum: ALL_STATUSES })
  @IsOptional() @IsIn(ALL_STATUSES, { message: `status must be one of: ${ALL_STATUSES.join(', ')}` }) status?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'overdue must be true or false' }) overdue?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'priority must be true or false' }) priority?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toIsoDate) @IsDate({ message: 'dueBefore must be an ISO 8601 date-time' }) dueBefore?: Date;
  @ApiPropertyOptional({ description: 'an area; empty for recommendations without one' }) @IsOptional() @IsString() @MaxLength(200) area?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) programme?: string;
  @ApiPropertyOptional({ description: 'true: not closed; false: closed' })
  @IsOptional() @Transform(toBoolean) @IsBoolean({ message: 'open must be true or false' }) open?: boolean;
  @ApiPropertyOptional({ enum: AGE_BANDS, description: 'overdue, by how long ago the deadline passed' })
  @IsOptional() @IsIn(AGE_BANDS, { message: `ageBand must be one of: ${AGE_BANDS.join(', ')}` }) ageBand?: AgeBand;
}

const PUBLIC_STATUSES = values(NotificationStatus).filter((s) => s !== NotificationStatus.Sending);

export class NotificationListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'recommendationId must be a UUID' }) recommendationId?: string;
  @ApiPropertyOptional({ enum: values(NotificationKind) })
  @IsOptional() @IsIn(values(NotificationKind), { message: `kind must be one of: ${values(NotificationKind).join(', ')}` }) kind?: string;
  @ApiPropertyOptional({ enum: PUBLIC_STATUSES })
  @IsOptional() @IsIn(PUBLIC_STATUSES, { message: `status must be one of: ${PUBLIC_STATUSES.join(', ')}` }) status?: string;
}
