// Request and answer shapes of personal API tokens (/users/me/api-tokens, /users/:id/api-tokens) and
// /api-token-settings.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '#application';
import { ALL_ROLES, type Role } from '#domain';

export class CreateApiTokenRequest {
  @ApiProperty({ description: 'what the token is for, e.g. the system that uses it', maxLength: 100 })
  @IsString({ message: 'name must be text' })
  @IsNotEmpty({ message: 'name is required' })
  @MaxLength(100, { message: 'name must be at most 100 characters' })
  name: string;

  @ApiProperty({ enum: API_TOKEN_SCOPES, description: 'read-only tokens are refused (403) on anything but GET' })
  @IsIn(API_TOKEN_SCOPES, { message: `scope must be one of: ${API_TOKEN_SCOPES.join(', ')}` })
  scope: ApiTokenScope;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    nullable: true,
    description: 'the last day (London) the token works; absent or null: it does not expire',
  })
  @IsOptional()
  @IsString({ message: 'expiresOn must be a date (YYYY-MM-DD)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'expiresOn must be a date (YYYY-MM-DD)' })
  expiresOn?: string | null;
}

export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: API_TOKEN_SCOPES }) scope: ApiTokenScope;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when it stops working (the end of its last day, London); null: never',
  })
  expiresAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'recorded at most once a minute' })
  lastUsedAt: Date | null;
}

export class ApiTokenList {
  @ApiProperty({ type: [ApiTokenResponse] }) items: ApiTokenResponse[];
}

export class CreatedApiTokenResponse {
  @ApiProperty({
    description: 'the token (fut_…), shown this once: only its hash is kept. Send it as Authorization: Bearer <token>',
  })
  token: string;
  @ApiProperty({ type: ApiTokenResponse }) apiToken: ApiTokenResponse;
}

export class ApiTokenSettingsResponse {
  @ApiProperty({
    enum: ALL_ROLES,
    isArray: true,
    description: 'the roles whose people may make and use personal API tokens',
  })
  allowedRoles: Role[];
  @ApiProperty() version: number;
}

export class UpdateApiTokenSettingsRequest {
  @ApiProperty({ enum: ALL_ROLES, isArray: true })
  @IsIn(ALL_ROLES, { each: true, message: `allowedRoles must contain only: ${ALL_ROLES.join(', ')}` })
  @ArrayUnique({ message: 'allowedRoles must not repeat a role' })
  @IsArray({ message: 'allowedRoles must be an array of roles' })
  allowedRoles: Role[];

  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
}
