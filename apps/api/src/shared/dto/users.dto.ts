// Request and answer shapes of /users: people, their own preferences and their calendar link.
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import type { UserView } from '#application';
import { ALL_ROLES, ReminderDelivery, type Role } from '#domain';
import { PageOf, ResourceResponse } from './common.dto.js';

const REMINDER_DELIVERIES = Object.values(ReminderDelivery);

/**
 * The organisations a person belongs to: UUIDs, each at most once. Checks run (and their messages are
 * listed) in the order given here.
 */
const organisationIds = () =>
  applyDecorators(
    IsUUID('all', { each: true, message: 'organisationIds must contain organisation ids (UUIDs)' }),
    ArrayUnique({ message: 'organisationIds must not repeat an organisation' }),
    IsArray({ message: 'organisationIds must be an array of organisation ids' }),
  );

/** "All forces" for a manager: chosen explicitly, never implied by an empty `organisationIds`. */
const allOrganisations = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: Boolean,
      description:
        'true: a manager of every organisation (organisationIds empty). A manager needs this or at least one organisation.',
    }),
    IsOptional(),
    IsBoolean({ message: 'allOrganisations must be true or false' }),
  );

export class CreateUserRequest {
  @ApiProperty() @IsEmail({}, { message: 'email must be an email address' }) email: string;
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'name is required' }) @MaxLength(200) name: string;
  @ApiPropertyOptional({
    minLength: 12,
    description: 'absent: the person is emailed an invitation (valid INVITE_TTL) to choose their own',
  })
  @IsOptional()
  @IsString({ message: 'password must be text' })
  @MinLength(12, { message: 'password must be at least 12 characters' })
  @MaxLength(1024, { message: 'password must be 1024 characters or fewer' })
  password?: string;
  @ApiProperty({ enum: ALL_ROLES })
  @IsIn(ALL_ROLES, { message: `role must be one of: ${ALL_ROLES.join(', ')}` })
  role: Role;
  @ApiProperty({ type: [String] }) @organisationIds() organisationIds: string[];
  @allOrganisations() allOrganisations?: boolean;
  @ApiPropertyOptional({ enum: REMINDER_DELIVERIES })
  @IsOptional()
  @IsIn(REMINDER_DELIVERIES, { message: 'reminderDelivery must be immediate or daily_digest' })
  reminderDelivery?: ReminderDelivery;
}

export class UpdateUserRequest {
  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'name must be text' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(200)
  name?: string;
  @ApiPropertyOptional({ enum: ALL_ROLES })
  @IsOptional()
  @IsIn(ALL_ROLES, { message: `role must be one of: ${ALL_ROLES.join(', ')}` })
  role?: Role;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @organisationIds() organisationIds?: string[];
  @allOrganisations() allOrganisations?: boolean;
  @ApiPropertyOptional({ description: 'false deactivates: sign-in, tokens, sessions and emails stop at once' })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class UpdatePreferencesRequest {
  @ApiProperty() @IsInt({ message: 'version must be a whole number' }) version: number;
  @ApiProperty({ enum: REMINDER_DELIVERIES })
  @IsIn(REMINDER_DELIVERIES, { message: 'reminderDelivery must be immediate or daily_digest' })
  reminderDelivery: ReminderDelivery;
}

/** A person, never with a password. */
export class UserResponse extends ResourceResponse implements UserView {
  @ApiProperty({ type: String }) email: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ enum: ALL_ROLES }) role: Role;
  @ApiProperty({ type: [String] }) organisationIds: string[];
  @ApiProperty({
    type: Boolean,
    description: 'sees every organisation: administrators and inspectors always, managers when chosen',
  })
  allOrganisations: boolean;
  @ApiProperty({ enum: REMINDER_DELIVERIES }) reminderDelivery: ReminderDelivery;
  @ApiProperty({ type: Boolean, description: 'false once an administrator has deactivated the person' })
  active: boolean;
}

export const UserPage = PageOf(UserResponse, 'UserPage');

export class CalendarTokenResponse {
  @ApiProperty({ type: String, description: 'the secret in the feed link; the previous one answers 404 from now on' })
  token: string;
  @ApiProperty({ type: String, format: 'uri', example: 'http://localhost:3000/calendar/abc123.ics' }) url: string;
}
