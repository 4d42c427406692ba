// Evidence files' requests and answers: an uploaded file as the API shows it, and a legal hold.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { EvidenceFileView } from '#application';

const SCANS = ['pending', 'clean', 'infected', 'unscanned'];

export class EvidenceFileResponse implements EvidenceFileView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) recommendationId: string;
  @ApiProperty({ description: 'The name it was uploaded with (display only; never a path)' }) name: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ description: 'The MIME type sniffed from the content', example: 'application/pdf' }) type: string;
  @ApiProperty({ description: 'SHA-256 of the bytes, hex' }) sha256: string;
  @ApiProperty({ enum: SCANS }) scan: EvidenceFileView['scan'];
  @ApiProperty({ type: String, nullable: true, description: "The scanner's signature name when it found malware" })
  signature: string | null;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) withdrawnAt: string | null;
  @ApiProperty({ description: 'Whether GET /evidence/files/{id}/content serves it' }) downloadable: boolean;
}

export class EvidenceUploadForm {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    description: 'One or more files (field repeated)',
  })
  file?: unknown;
}

export class LegalHoldRequest {
  @ApiProperty({ description: 'Why the files must be kept' })
  @IsString({ message: 'reason must be text' })
  @MinLength(1, { message: 'reason is required' })
  @MaxLength(2000, { message: 'reason must be at most 2000 characters' })
  reason: string;
}

export class LegalHoldResponse {
  @ApiProperty({ format: 'uuid' }) inspectionId: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'uuid' }) placedBy: string;
  @ApiProperty({ format: 'date-time' }) placedAt: Date;
}
