// Request and answer shapes of /recommendations: the workflow's items, their actions and their history.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { EvidenceView, HistoryEntry, RecommendationDetail, RecommendationView } from '#application';
import { AGE_BANDS, ALL_ACTIONS, ALL_STATUSES, type Action, type AgeBand, Outcome, PlanResponse, Rag } from '#domain';
import { enumValues, PageOf, PageQuery, ResourceResponse, toBoolean, toIsoDate } from './common.dto.js';

/** Evidence items one closure proposal may carry. */
export const MAX_EVIDENCE_PER_PROPOSAL = 100;

export class EvidenceRequest {
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'title is required' }) @MaxLength(500) title: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_tld: false }, { message: 'url must be a URL' }) url?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) note?: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'uploaded evidence files (clean ones) this item cites: POST /recommendations/{id}/evidence/files',
  })
  @IsOptional()
  @IsArray({ message: 'fileIds must be an array' })
  @ArrayMaxSize(50, { message: 'fileIds must list at most 50 files' })
  @IsUUID('all', { each: true, message: 'fileIds must list file ids' })
  fileIds?: string[];
}

/** One body for every action; which fields an action takes and needs is the domain's transition table. */
export class TransitionRequest {
  @ApiProperty({ enum: ALL_ACTIONS })
  @IsIn(ALL_ACTIONS, { message: `action must be one of: ${ALL_ACTIONS.join(', ')}` })
  action: string;
  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) comment?: string;
  @ApiPropertyOptional({ enum: enumValues(PlanResponse) })
  @IsOptional()
  @IsIn(enumValues(PlanResponse), { message: `response must be one of: ${enumValues(PlanResponse).join(', ')}` })
  response?: PlanResponse;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) owner?: string;
  @ApiPropertyOptional({ description: 'the planned actions: text, or a list of lines' })
  @IsOptional()
  @Transform(({ value }) =>
    Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join('\n') : (value as unknown),
  )
  @IsString({ message: 'actions must be text or a list of text' })
  @MaxLength(20_000)
  actions?: string;
  @ApiPropertyOptional({ example: '2026-03-31' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'targetDate must be an ISO 8601 date such as 2026-03-31' })
  @Transform(({ value }) => (typeof value === 'string' ? value.slice(0, 10) : (value as unknown)), {
    toClassOnly: true,
  })
  targetDate?: string;
  @ApiPropertyOptional({ enum: enumValues(Rag) })
  @IsOptional()
  @IsIn(enumValues(Rag), { message: 'rag must be one of: green, amber, red' })
  rag?: Rag;
  @ApiPropertyOptional({ type: [EvidenceRequest] })
  @IsOptional()
  @IsArray({ message: 'evidence must be an array' })
  @ArrayMinSize(1, { message: 'evidence must list at least one item' })
  @ArrayMaxSize(MAX_EVIDENCE_PER_PROPOSAL, { message: `evidence must list at most ${MAX_EVIDENCE_PER_PROPOSAL} items` })
  @ValidateNested({ each: true })
  @Type(() => EvidenceRequest)
  evidence?: EvidenceRequest[];
  @ApiPropertyOptional({ enum: enumValues(Outcome) })
  @IsOptional()
  @IsIn(enumValues(Outcome), { message: `outcome must be one of: ${enumValues(Outcome).join(', ')}` })
  outcome?: Outcome;
  @ApiPropertyOptional({
    description: 'with close as superseded: the recommendation of a later inspection that replaces it',
  })
  @IsOptional()
  @IsUUID('all', { message: 'supersededById must be a UUID' })
  supersededById?: string;
}

export class RecommendationListQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'inspectionId must be a UUID' }) inspectionId?: string;
  @ApiPropertyOptional({ enum: ALL_STATUSES })
  @IsOptional()
  @IsIn(ALL_STATUSES, { message: `status must be one of: ${ALL_STATUSES.join(', ')}` })
  status?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'priority must be true or false' })
  priority?: boolean;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toIsoDate)
  @IsDate({ message: 'dueBefore must be an ISO 8601 date-time' })
  dueBefore?: Date;
  @ApiPropertyOptional({ description: 'an area; empty for recommendations without one' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  area?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) programme?: string;
  @ApiPropertyOptional({ description: 'true: not closed; false: closed' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'open must be true or false' })
  open?: boolean;
  @ApiPropertyOptional({ enum: AGE_BANDS, description: 'overdue, by how long ago the deadline passed' })
  @IsOptional()
  @IsIn(AGE_BANDS, { message: `ageBand must be one of: ${AGE_BANDS.join(', ')}` })
  ageBand?: AgeBand;
}

/** A recommendation: contract v1's fields, and the additive ones. */
export class RecommendationResponse extends ResourceResponse implements RecommendationView {
  @ApiProperty({ type: String, format: 'uuid' }) inspectionId: string;
  @ApiProperty({ type: String, format: 'uuid' }) organisationId: string;
  @ApiProperty({ type: String, description: 'unique within its inspection' }) reference: string;
  @ApiProperty({ type: String }) text: string;
  @ApiProperty({ type: Boolean }) priority: boolean;
  @ApiProperty({ type: String, nullable: true, description: '"immediately" or an ISO 8601 duration from publication' })
  timeframe: string | null;
  @ApiProperty({ enum: ALL_STATUSES }) status: string;
  @ApiProperty({ enum: enumValues(Outcome), nullable: true, description: 'only when closed' }) outcome: string | null;
  @ApiProperty({ enum: enumValues(PlanResponse), nullable: true }) response: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) actionPlanDueAt: string;
  @ApiProperty({ type: String, nullable: true }) owner: string | null;
  @ApiProperty({ type: String, nullable: true }) actions: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) targetDate: string | null;
  @ApiProperty({ enum: enumValues(Rag), nullable: true }) rag: string | null;
  @ApiProperty({ type: Boolean }) overdue: boolean;
  @ApiProperty({ enum: ['action_plan', 'due_date'], nullable: true, description: 'the earliest deadline missed' })
  overdueReason: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'whole days since the earliest missed deadline' })
  daysOverdue: number | null;
  @ApiProperty({
    type: Boolean,
    description: 'planned, with no progress update for STALE_AFTER ("No recent progress")',
  })
  noRecentProgress: boolean;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'while planned: when the force last acted on it',
  })
  progressAt: string | null;
  @ApiProperty({ enum: ALL_ACTIONS, isArray: true, description: 'what the caller may do now' })
  allowedActions: Action[];
  @ApiProperty({ type: String, nullable: true }) area: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'closed as superseded: the recommendation of a later inspection that replaces it',
  })
  supersededById: string | null;
  @ApiProperty({ type: [String], description: 'the recommendations of earlier inspections that this one replaces' })
  supersedes: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
  @ApiProperty({
    type: Boolean,
    description: 'of a draft inspection (seen only by inspectorate staff): no workflow until it is published',
  })
  draft: boolean;
}

/** An evidence item as its proposer gave it, and when. */
export class EvidenceFields {
  @ApiProperty({ type: String }) title: string;
  @ApiProperty({ type: String, nullable: true }) url: string | null;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class EvidenceResponse extends EvidenceFields implements EvidenceView {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', description: "the proposer's user id" }) submittedBy: string;
  @ApiProperty({ type: [String], description: 'the evidence files (ids) the item cites' }) fileIds: string[];
}

/** One entry of a recommendation's append-only history. */
export class HistoryEntryResponse implements HistoryEntry {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId: string | null;
  @ApiProperty({ type: String, example: 'submit_plan' }) action: string;
  @ApiProperty({ type: String, nullable: true }) fromStatus: string | null;
  @ApiProperty({ type: String, nullable: true }) toStatus: string | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the fields the entry changed' })
  changes: Record<string, unknown>;
}

/** One recommendation with its evidence and the start of its history. */
export class RecommendationDetailResponse extends RecommendationResponse implements RecommendationDetail {
  @ApiProperty({ type: [EvidenceResponse] }) evidence: EvidenceResponse[];
  @ApiProperty({ type: [HistoryEntryResponse], description: 'the oldest entries, oldest first' })
  history: HistoryEntryResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'GET /recommendations/{id}/history?cursor= reads on; null when all is shown',
  })
  historyNextCursor: string | null;
}

export const RecommendationPage = PageOf(RecommendationResponse, 'RecommendationPage');
export const HistoryPage = PageOf(HistoryEntryResponse, 'HistoryPage');
