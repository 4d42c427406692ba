// Request and answer shapes of /webhooks: subscriptions, their one-time secrets, deliveries and attempts, and the
// payload's JSON Schema.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS } from '#domain';

export class CreateWebhookRequest {
  @ApiProperty({
    example: 'https://receiver.example.police.uk/followup',
    description:
      'https only in production; no loopback, link-local or private addresses unless WEBHOOK_ALLOW_PRIVATE=true',
  })
  @IsString({ message: 'url must be a URL' })
  @MaxLength(2000, { message: 'url must be at most 2000 characters' })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true })
  @IsArray({ message: 'events must be a list of event names' })
  @ArrayNotEmpty({ message: 'events must name at least one event' })
  @IsIn(WEBHOOK_EVENTS, { each: true, message: `events may hold: ${WEBHOOK_EVENTS.join(', ')}` })
  events: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'only these forces; a scoped manager gets their own forces when omitted, an administrator every force',
  })
  @IsOptional()
  @IsArray({ message: 'organisationIds must be an array of organisation ids' })
  @IsUUID('all', { each: true, message: 'organisationIds must contain organisation ids (UUIDs)' })
  organisationIds?: string[];

  @ApiPropertyOptional({ enum: WEBHOOK_FORMATS, default: 'standard' })
  @IsOptional()
  @IsIn(WEBHOOK_FORMATS, { message: `format must be one of: ${WEBHOOK_FORMATS.join(', ')}` })
  format?: string;
}

export class RotateSecretRequest {
  @ApiPropertyOptional({
    example: 'P1D',
    description: 'how long the previous secret also signs (default WEBHOOK_SECRET_OVERLAP)',
  })
  @IsOptional()
  @IsString({ message: 'overlap must be an ISO 8601 duration' })
  overlap?: string;
}

export class WebhookCreatedResponse {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({
    type: String,
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'the signing secret, shown this once',
  })
  secret: string;
}

export class SecretRotatedResponse {
  @ApiProperty({ type: String, description: 'the new signing secret, shown this once' }) secret: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'until then deliveries carry a second signature, made with the previous secret',
  })
  previousSecretValidUntil: string;
}

export class WebhookResponse {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String }) url: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, isArray: true }) events: string[];
  @ApiProperty({ type: [String], nullable: true, description: 'null: every force' }) organisationIds: string[] | null;
  @ApiProperty({ enum: WEBHOOK_FORMATS }) format: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: string | null;
  @ApiProperty({ type: String, nullable: true }) disabledReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'every attempt since has failed' })
  failingSince: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) previousSecretValidUntil: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class WebhookAttemptResponse {
  @ApiProperty({ type: Number }) attempt: number;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: Number }) durationMs: number;
  @ApiProperty({ type: Number, nullable: true }) statusCode: number | null;
  @ApiProperty({ enum: ['delivered', 'retry', 'failed'] }) outcome: string;
  @ApiProperty({ type: String, nullable: true }) error: string | null;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ type: String, format: 'uuid', description: 'also the webhook-id header: the same on every attempt' })
  id: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS }) event: string;
  @ApiProperty({ enum: ['scheduled', 'delivered', 'failed', 'cancelled'] }) status: string;
  @ApiProperty({ type: Number }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: [WebhookAttemptResponse] }) attemptList: WebhookAttemptResponse[];
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] }) items: WebhookResponse[];
}

export class WebhookDeliveryListResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse] }) items: WebhookDeliveryResponse[];
}

/** The body of a `standard` delivery (version 1 of `data`), documented for receivers in the OpenAPI document. */
export class WebhookPayloadData {
  @ApiProperty({
    type: Number,
    example: 1,
    description: 'the version of this shape; a breaking change makes a new one',
  })
  payloadVersion: number;
  @ApiProperty({ type: String, description: 'a sentence for people' }) summary: string;
  @ApiProperty({ type: String, format: 'uri', description: 'the page that shows it' }) link: string;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) recommendationId?: string;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) inspectionId?: string;
  @ApiPropertyOptional({ type: String, format: 'uuid' }) organisationId?: string;
  @ApiPropertyOptional({ type: String }) reference?: string;
  @ApiPropertyOptional({ type: String, description: 'recommendation.transitioned: the workflow action' })
  action?: string;
  @ApiPropertyOptional({ type: String }) fromStatus?: string;
  @ApiPropertyOptional({ type: String }) toStatus?: string;
  @ApiPropertyOptional({ type: String, description: 'recommendation.overdue/escalated: the deadline passed' })
  deadlineType?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) deadlineAt?: string;
  @ApiPropertyOptional({ type: String, description: 'recommendation.escalated: the step on the ladder' }) step?: string;
  @ApiPropertyOptional({ type: [String], description: 'evidence.submitted: the titles' }) evidence?: string[];
  @ApiPropertyOptional({ type: Object, description: 'inspection.dates_changed: each changed date, from and to' })
  changes?: Record<string, unknown>;
}

export class WebhookPayload {
  @ApiProperty({ enum: WEBHOOK_EVENTS }) type: string;
  @ApiProperty({ type: String, format: 'date-time' }) timestamp: string;
  @ApiProperty({ type: WebhookPayloadData }) data: WebhookPayloadData;
}
