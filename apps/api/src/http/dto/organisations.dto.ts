// Request and answer shapes of /organisations: the forces.
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { organisationView } from '#application';
import { PageOf, ResourceResponse } from './common.dto.js';

export class CreateOrganisationRequest {
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'name is required' }) @MaxLength(200) name: string;
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'code is required' }) @MaxLength(40) code: string;
}

export class OrganisationResponse extends ResourceResponse implements ReturnType<typeof organisationView> {
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: String, description: 'unique; names the force in register links' }) code: string;
}

export const OrganisationPage = PageOf(OrganisationResponse, 'OrganisationPage');
