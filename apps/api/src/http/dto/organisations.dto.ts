// Request and answer shapes of /organisations: the forces.
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { organisationView } from '#application';
import { PageOf } from './common.dto.js';

export class CreateOrganisationRequest {
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'name is required' }) @MaxLength(200) name: string;
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'code is required' }) @MaxLength(40) code: string;
}

export class OrganisationResponse implements ReturnType<typeof organisationView> {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String, description: 'unique; names the force in register links' }) code: string;
  @ApiProperty({ type: Number }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export const OrganisationPage = PageOf(OrganisationResponse, 'OrganisationPage');
