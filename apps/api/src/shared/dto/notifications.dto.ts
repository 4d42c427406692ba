// Query and answer shapes of /notifications: the delivery ledger, one row per notice and recipient.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import type { ledgerView } from '#application';
import { DeadlineType, NotificationKind, NotificationStatus } from '#domain';
import { enumValues, PageOf, PageQuery } from './common.dto.js';

const KINDS = enumValues(NotificationKind);
/** `sending` is an internal step of `scheduled`: never shown, never a filter. */
const PUBLIC_STATUSES = enumValues(NotificationStatus).filter((s) => s !== NotificationStatus.Sending);

export class NotificationListQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'recommendationId must be a UUID' })
  recommendationId?: string;
  @ApiPropertyOptional({ enum: KINDS })
  @IsOptional()
  @IsIn(KINDS, { message: `kind must be one of: ${KINDS.join(', ')}` })
  kind?: string;
  @ApiPropertyOptional({ enum: PUBLIC_STATUSES })
  @IsOptional()
  @IsIn(PUBLIC_STATUSES, { message: `status must be one of: ${PUBLIC_STATUSES.join(', ')}` })
  status?: string;
}

export class NotificationResponse implements ReturnType<typeof ledgerView> {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ enum: KINDS }) kind: NotificationKind;
  @ApiProperty({ type: String, description: 'the email address it goes (or went) to' }) recipient: string;
  @ApiProperty({ type: String, format: 'uuid' }) recipientId: string;
  @ApiProperty({ type: [String], description: 'the recommendation of the row (none for a weekly summary)' })
  recommendationIds: string[];
  @ApiProperty({ enum: enumValues(DeadlineType) }) deadlineType: DeadlineType;
  @ApiProperty({ type: String, format: 'date-time' }) deadlineAt: string;
  @ApiProperty({
    type: String,
    description: 'a reminder: its offset before the deadline; an escalation: its step (`step-0` first)',
  })
  offset: string;
  @ApiProperty({ type: String, format: 'date-time' }) dueAt: string;
  @ApiProperty({ enum: PUBLIC_STATUSES }) status: Exclude<NotificationStatus, typeof NotificationStatus.Sending>;
  @ApiProperty({ type: Number }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: string | null;
  @ApiProperty({ type: String, nullable: true }) messageId: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'refused for now (4xx, no connection): when it is tried again',
  })
  nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export const NotificationPage = PageOf(NotificationResponse, 'NotificationPage');
