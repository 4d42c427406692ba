import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ALL_ROLES, ReminderDelivery, type Role } from '#domain';

export class LoginRequest {
  @ApiProperty() @IsEmail({}, { message: 'email must be an email address' }) email: string;
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'password is required' }) @MaxLength(1024) password: string;
}

export class CreateUserRequest {
  @ApiProperty() @IsEmail({}, { message: 'email must be an email address' }) email: string;
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'name is required' }) @MaxLength(200) name: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MinLength(12, { message: 'password must be at least 12 characters' }) @MaxLength(1024) password: string;
  @ApiProperty({ enum: ALL_ROLES }) @IsIn(ALL_ROLES, { message: `role must be one of: ${ALL_ROLES.join(', ')}` }) role: Role;
  @ApiProperty({ type: [String] })
  @IsArray({ message: 'organisationIds must be an array of organisation ids' })
  @ArrayUnique({ message: 'organisationIds must not repeat an organisation' })
  @IsUUID('all', { each: true, message: 'organisationIds must contain organisation ids (UUIDs)' })
  organisationIds: string[];
  @ApiPropertyOptional({ enum: Object.values(ReminderDelivery) })
  @IsOptional()
  @IsIn(Object.values(ReminderDelivery), { message: 'reminderDelivery must be immediate or daily_digest' })
  reminderDelivery?: ReminderDelivery;
}

export class UpdateUserRequest {
  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
  @ApiPropertyOptional() @IsOptional() @IsString({ message: 'name must be text' }) @IsNotEmpty({ message: 'name must not be empty' }) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: ALL_ROLES }) @IsOptional() @IsIn(ALL_ROLES, { message: `role must be one of: ${ALL_ROLES.join(', ')}` }) role?: Role;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'organisationIds must be an array of organisation ids' })
  @ArrayUnique({ message: 'organisationIds must not repeat an organisation' })
  @IsUUID('all', { each: true, message: 'organisationIds must contain organisation ids (UUIDs)' })
  organisationIds?: string[];
  @ApiPropertyOptional({ description: 'false deactivates: sign-in, tokens, sessions and emails stop at once' })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class UpdatePreferencesRequest {
  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
  @ApiProperty({ enum: Object.values(ReminderDelivery) })
  @IsIn(Object.values(ReminderDelivery), { message: 'reminderDelivery must be immediate or daily_digest' })
  reminderDelivery: ReminderDelivery;
}

export class CreateOrganisationRequest {
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'name is required' }) @MaxLength(200) name: string;
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'code is required' }) @MaxLength(40) code: string;
}

export class CreatePolicyRequest {
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'programme is required' }) programme: string;
  @ApiProperty({ example: 'P6W' }) @IsString() @IsNotEmpty({ message: 'actionPlanAfter is required' }) actionPlanAfter: string;
  @ApiProperty({ example: 'P6M' }) @IsString() @IsNotEmpty({ message: 'revisitAfter is required' }) revisitAfter: string;
}
