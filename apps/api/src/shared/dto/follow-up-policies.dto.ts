// Request and answer shapes of /follow-up-policies: the deadlines each inspection programme gives.
import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString } from 'class-validator';
import type { PoliciesService } from '#application';

type PolicyList = Awaited<ReturnType<PoliciesService['list']>>;
type Policy = PolicyList['items'][number];

export class CreatePolicyRequest {
  @ApiProperty() @IsString() @IsNotEmpty({ message: 'programme is required' }) programme: string;
  @ApiProperty({ example: 'P6W' })
  @IsString()
  @IsNotEmpty({ message: 'actionPlanAfter is required' })
  actionPlanAfter: string;
  @ApiProperty({ example: 'P6M' })
  @IsString()
  @IsNotEmpty({ message: 'revisitAfter is required' })
  revisitAfter: string;
}

/** The offsets from publication: an ISO 8601 duration each. */
export class PolicyOffsets {
  @ApiProperty({ type: String, example: 'P6W', description: 'from publication to the action plan deadline' })
  actionPlanAfter: string;
  @ApiProperty({ type: String, example: 'P6M', description: 'from publication to the revisit' }) revisitAfter: string;
}

export class FollowUpPolicyResponse extends PolicyOffsets implements Policy {
  @ApiProperty({ type: String, format: 'uuid' }) id: string;
  @ApiProperty({ type: String, description: 'the inspection programme it applies to; at most one policy each' })
  programme: string;
  @ApiProperty({ type: Number }) version: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

export class FollowUpPoliciesResponse implements PolicyList {
  @ApiProperty({ type: PolicyOffsets, description: 'what a programme without a policy gets' }) default: PolicyOffsets;
  @ApiProperty({ type: [FollowUpPolicyResponse] }) items: FollowUpPolicyResponse[];
}
