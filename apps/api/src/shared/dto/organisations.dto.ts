// Request and answer shapes of /organisations: the forces.
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { ORGANISATION_CODE_INPUT_PATTERN, ORGANISATION_CODE_MAX_LENGTH, ORGANISATION_CODE_RULE } from '#domain';
import type { organisationView } from '#application';
import { PageOf, ResourceResponse } from './common.dto.js';

export class CreateOrganisationRequest {
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'name is required' }) @MaxLength(200) name: string;
  @ApiProperty({ pattern: '^[A-Za-z0-9-]{1,40}$', description: 'letters, digits and hyphens; stored in capitals' })
  @IsString()
  @IsNotEmpty({ message: 'code is required' })
  @MaxLength(ORGANISATION_CODE_MAX_LENGTH + 20)
  @Matches(ORGANISATION_CODE_INPUT_PATTERN, { message: ORGANISATION_CODE_RULE })
  code: string;
}

export class OrganisationResponse extends ResourceResponse implements ReturnType<typeof organisationView> {
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({
    type: String,
    pattern: '^[A-Z0-9-]{1,40}$',
    description: 'unique; names the force in register links and file names',
  })
  code: string;
}

export const OrganisationPage = PageOf(OrganisationResponse, 'OrganisationPage');
