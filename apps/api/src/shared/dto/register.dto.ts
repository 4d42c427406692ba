// Answer shapes of /register: the public register, per force, as open data.
import { ApiProperty } from '@nestjs/swagger';
import type {
  ForceRegister,
  RegisterForce,
  RegisterInspection,
  RegisterRecommendation,
  RegisterStatusChange,
} from '#application';

export class RegisterForceResponse implements RegisterForce {
  @ApiProperty({ type: String }) code: string;
  @ApiProperty({ type: String }) name: string;
  @ApiProperty({ type: Number, description: 'published inspections on the register' }) inspections: number;
  @ApiProperty({ type: Number }) recommendations: number;
  @ApiProperty({ type: Number, description: 'recommendations not closed' }) open: number;
}

export class RegisterForcesResponse {
  @ApiProperty({ type: [RegisterForceResponse] }) items: RegisterForceResponse[];
}

export class RegisterStatusChangeResponse implements RegisterStatusChange {
  @ApiProperty({ type: String, format: 'date', description: 'the London date' }) date: string;
  @ApiProperty({ type: String }) status: string;
}

export class RegisterRecommendationResponse implements RegisterRecommendation {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String }) reference: string;
  @ApiProperty({ type: String }) text: string;
  @ApiProperty({ type: String, nullable: true }) area: string | null;
  @ApiProperty({ type: String }) status: string;
  @ApiProperty({ type: String, nullable: true }) outcome: string | null;
  @ApiProperty({ type: String, format: 'date' }) dueDate: string;
  @ApiProperty({ type: [RegisterStatusChangeResponse] }) statusChanges: RegisterStatusChangeResponse[];
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'only when that recommendation is on the register too',
  })
  supersededById: string | null;
  @ApiProperty({ type: [String] }) supersedes: string[];
}

export class RegisterInspectionResponse implements RegisterInspection {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String }) title: string;
  @ApiProperty({ type: String }) programme: string;
  @ApiProperty({ type: String, format: 'date' }) publishedDate: string;
  @ApiProperty({ type: [RegisterRecommendationResponse] }) recommendations: RegisterRecommendationResponse[];
}

export class RegisterOrganisationResponse {
  @ApiProperty({ type: String }) code: string;
  @ApiProperty({ type: String }) name: string;
}

/** One force's register (`/register/{code}.json`). */
export class ForceRegisterResponse implements ForceRegister {
  @ApiProperty({ type: RegisterOrganisationResponse }) organisation: RegisterOrganisationResponse;
  @ApiProperty({ type: [RegisterInspectionResponse] }) inspections: RegisterInspectionResponse[];
}
