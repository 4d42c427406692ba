// Answer shape of /work: how many items wait on the caller, by group (what "My work" lists).
import { ApiProperty } from '@nestjs/swagger';
import type { WorkCounts } from '#application';
import { ALL_ROLES, type Role } from '#domain';

export class WorkGroupCount {
  @ApiProperty({
    type: String,
    description:
      'liaison: `returned` (a closure returned by the inspector), `plan` (an action plan to submit), `progress` (planned: progress or closure due); ' +
      'inspector: `review` (evidence waiting for their decision); manager and admin: `overdue`, `no_recent_progress`',
  })
  id: string;
  @ApiProperty({ type: Number }) count: number;
}

export class WorkCountsResponse implements WorkCounts {
  @ApiProperty({ enum: ALL_ROLES }) role: Role;
  @ApiProperty({
    type: Number,
    description:
      'everything waiting on the caller (liaison, inspector); overdue recommendations in scope (manager, admin)',
  })
  total: number;
  @ApiProperty({ type: [WorkGroupCount] }) groups: WorkGroupCount[];
}
