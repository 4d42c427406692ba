// Query and answer shapes of /inspections/{id}/readiness: the revisit readiness pack.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { PackDateChange, PackEvent, PackRecommendation, ReadinessPack } from '#application';
import { EvidenceFileResponse } from './evidence-files.dto.js';
import { InspectionResponse } from './inspections.dto.js';
import { EvidenceFields, RecommendationResponse } from './recommendations.dto.js';

export class FormatQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'] })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

type PackEvidence = PackRecommendation['evidence'][number];
type PackNotification = NonNullable<PackRecommendation['notificationsSent']>[number];

export class PackEvidenceResponse extends EvidenceFields implements PackEvidence {
  @ApiProperty({ type: String, description: "the proposer's name" }) submittedBy: string;
}

export class PackDateChangeResponse implements PackDateChange {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['dueAt', 'actionPlanDueAt', 'targetDate'] }) field: string;
  @ApiProperty({ type: String, nullable: true }) from: string | null;
  @ApiProperty({ type: String, nullable: true }) to: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the comment given with the change' }) reason:
    string | null;
}

export class PackEventResponse implements PackEvent {
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty({ type: String, nullable: true, description: "the actor's name" }) actor: string | null;
  @ApiProperty({ type: String }) action: string;
  @ApiProperty({ type: String, nullable: true }) fromStatus: string | null;
  @ApiProperty({ type: String, nullable: true }) toStatus: string | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) changes: Record<string, unknown>;
}

export class PackNotificationResponse implements PackNotification {
  @ApiProperty({ type: String }) kind: string;
  @ApiProperty({ type: String }) recipient: string;
  @ApiProperty({ type: String }) deadlineType: string;
  @ApiProperty({ type: String, format: 'date-time' }) deadlineAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) sentAt: string;
}

export class PackRecommendationResponse extends RecommendationResponse implements PackRecommendation {
  @ApiProperty({ type: [PackEvidenceResponse] }) evidence: PackEvidenceResponse[];
  @ApiProperty({ type: [PackDateChangeResponse] }) dateChanges: PackDateChangeResponse[];
  @ApiProperty({ type: [PackEventResponse] }) history: PackEventResponse[];
  @ApiProperty({
    type: [PackNotificationResponse],
    nullable: true,
    description: 'null when the reader may not read notifications (as GET /notifications refuses them)',
  })
  notificationsSent: PackNotificationResponse[] | null;
  @ApiProperty({ type: [EvidenceFileResponse], description: 'every evidence file uploaded to it, withdrawn ones too' })
  evidenceFiles: EvidenceFileResponse[];
}

export class PackOrganisationResponse {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String }) code: string;
}

export class ReadinessPackResponse implements ReadinessPack {
  @ApiProperty({ type: String, format: 'date-time' }) generatedAt: string;
  @ApiProperty({ type: PackOrganisationResponse }) organisation: PackOrganisationResponse;
  @ApiProperty({ type: String, description: "the lead inspector's name" }) leadInspector: string;
  @ApiProperty({ type: InspectionResponse }) inspection: InspectionResponse;
  @ApiProperty({ type: [PackRecommendationResponse] }) recommendations: PackRecommendationResponse[];
}
