// Answer shape of /audit: a signed checkpoint of the audit chain.
import { ApiProperty } from '@nestjs/swagger';
import type { AuditCheckpoint } from '#persistence';

export class AuditCheckpointResponse implements AuditCheckpoint {
  @ApiProperty({ type: Number, description: "the chain's length when issued (0: empty)" }) position: number;
  @ApiProperty({ type: String, description: 'the hash of the link at `position`' }) hash: string;
  @ApiProperty({ type: String, format: 'date-time' }) issuedAt: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm: 'Ed25519';
  @ApiProperty({
    type: String,
    format: 'byte',
    description: 'raw 32-byte public key: anyone may check the signature with it',
  })
  publicKey: string;
  @ApiProperty({
    type: String,
    format: 'byte',
    description: 'Ed25519 over the canonical JSON of { position, hash, issuedAt }',
  })
  signature: string;
}
