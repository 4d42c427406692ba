// Request and answer shapes of /inspections: a report, its dates and its recommendations.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { InspectionView } from '#application';
import { INSPECTION_LIMITS, RECOMMENDATION_LIMITS } from '#domain';
import { PageOf, PageQuery, ResourceResponse, toIsoDate } from './common.dto.js';
import { RecommendationResponse } from './recommendations.dto.js';

/**
 * An inspection report's recommendations, at most: the one set of limits (libs/domain inspection-limits.ts) that the
 * CSV import and the form meet too.
 */
export const MAX_RECOMMENDATIONS_PER_INSPECTION = INSPECTION_LIMITS.recommendations;

const isoDate = (field: string) => IsDate({ message: `${field} must be an ISO 8601 date-time` });

export class NewRecommendationRequest {
  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'reference is required' })
  @MaxLength(RECOMMENDATION_LIMITS.reference)
  reference: string;
  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'text is required' })
  @MaxLength(RECOMMENDATION_LIMITS.text)
  text: string;
  @ApiPropertyOptional({ example: 'P3M', description: '"immediately" or an ISO 8601 duration from publishedAt' })
  @IsOptional()
  @IsString({ message: 'timeframe must be "immediately" or an ISO 8601 duration' })
  timeframe?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toIsoDate) @isoDate('dueAt') dueAt?: Date;
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: 'priority must be true or false' }) priority?: boolean;
  @ApiPropertyOptional({ example: 'Custody' })
  @IsOptional()
  @IsString({ message: 'area must be text' })
  @MaxLength(RECOMMENDATION_LIMITS.area)
  area?: string;
}

/** The inspection's own fields; `POST /inspections/import` takes them as query parameters (the body is the CSV). */
export class ImportInspectionQuery {
  @ApiProperty() @IsUUID('all', { message: 'organisationId must be a UUID' }) organisationId: string;
  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'title is required' })
  @MaxLength(INSPECTION_LIMITS.title)
  title: string;
  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'programme is required' })
  @MaxLength(INSPECTION_LIMITS.programme)
  programme: string;
  @ApiProperty() @Transform(toIsoDate) @isoDate('publishedAt') publishedAt: Date;
  @ApiProperty() @IsUUID('all', { message: 'leadInspectorId must be a UUID' }) leadInspectorId: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toIsoDate) @isoDate('actionPlanDueAt') actionPlanDueAt?: Date;
  @ApiPropertyOptional() @IsOptional() @Transform(toIsoDate) @isoDate('revisitDueAt') revisitDueAt?: Date;
  @ApiPropertyOptional({
    description:
      'create it as a draft, seen only by inspectorate staff with nothing planned or sent until POST /inspections/{id}/publish. Default: false for JSON, true for a CSV import',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : (value as unknown)))
  @IsBoolean({ message: 'draft must be true or false' })
  draft?: boolean;
}

/** The inspection's own fields and its recommendations, as JSON. */
export class CreateInspectionRequest extends ImportInspectionQuery {
  @ApiProperty({ type: [NewRecommendationRequest] })
  @IsArray({ message: 'recommendations must be an array' })
  @ArrayMaxSize(MAX_RECOMMENDATIONS_PER_INSPECTION, {
    message: `recommendations must list at most ${MAX_RECOMMENDATIONS_PER_INSPECTION} recommendations`,
  })
  @ValidateNested({ each: true })
  @Type(() => NewRecommendationRequest)
  recommendations: NewRecommendationRequest[];
}

export class UpdateInspectionRequest {
  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(INSPECTION_LIMITS.title)
  title?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toIsoDate) @isoDate('publishedAt') publishedAt?: Date;
  @ApiPropertyOptional() @IsOptional() @Transform(toIsoDate) @isoDate('actionPlanDueAt') actionPlanDueAt?: Date;
  @ApiPropertyOptional() @IsOptional() @Transform(toIsoDate) @isoDate('revisitDueAt') revisitDueAt?: Date;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'administrators only: withholds the inspection from the public register; null shows it again',
  })
  @IsOptional()
  @IsString({ message: 'registerWithheldReason must be text or null' })
  @MaxLength(INSPECTION_LIMITS.registerWithheldReason)
  registerWithheldReason?: string | null;
}

/** `POST /inspections/:id/publish`: the version read, as every change names it. */
export class PublishInspectionRequest {
  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
}

export class InspectionListQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'organisationId must be a UUID' })
  organisationId?: string;
}

/** An inspection as lists show it: without its recommendations. */
export class InspectionResponse extends ResourceResponse implements InspectionView {
  @ApiProperty({ type: String, format: 'uuid' }) organisationId: string;
  @ApiProperty({ type: String }) title: string;
  @ApiProperty({ type: String }) programme: string;
  @ApiProperty({ type: String, format: 'date-time' }) publishedAt: string;
  @ApiProperty({ type: String, format: 'uuid' }) leadInspectorId: string;
  @ApiProperty({ type: String, format: 'date-time' }) actionPlanDueAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) revisitDueAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) commissionerCommentsDueAt: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'why an administrator withholds it from the public register; null when shown',
  })
  registerWithheldReason: string | null;
  @ApiProperty({
    type: Boolean,
    description: 'true while it waits to be published: seen only by inspectorate staff, nothing planned or sent',
  })
  draft: boolean;
}

/** One inspection with every recommendation, as creating, reading and changing it answer. */
export class InspectionDetailResponse extends InspectionResponse {
  @ApiProperty({ type: [RecommendationResponse] }) recommendations: RecommendationResponse[];
}

export const InspectionPage = PageOf(InspectionResponse, 'InspectionPage');
