// The response shapes of contract v1, and the functions that turn rows into them.
import {
  DEFAULT_STALE_AFTER,
  allowedActions,
  hasNoRecentProgress,
  overdueState,
  Role,
  type Action,
  type Actor,
} from '#domain';
import type { InspectionEntity, OrganisationEntity, RecommendationEntity, UserEntity } from '#persistence';

/** Response shapes of contract v1 (plus additive fields). Times are ISO 8601 in UTC. */
export interface RecommendationView {
  id: string;
  inspectionId: string;
  organisationId: string;
  reference: string;
  text: string;
  priority: boolean;
  timeframe: string | null;
  status: string;
  outcome: string | null;
  response: string | null;
  dueAt: string;
  actionPlanDueAt: string;
  owner: string | null;
  actions: string | null;
  targetDate: string | null;
  rag: string | null;
  overdue: boolean;
  overdueReason: string | null;
  daysOverdue: number | null;
  /** Planned, and no progress for STALE_AFTER (an extension: "No recent progress"). */
  noRecentProgress: boolean;
  /** While planned: when the force last acted on it. */
  progressAt: string | null;
  allowedActions: Action[];
  area: string | null;
  /** Closed as superseded: the recommendation of a later inspection that replaces it. */
  supersededById: string | null;
  /** The recommendations of earlier inspections that this one replaces. */
  supersedes: string[];
  closedAt: string | null;
  /** Of a draft inspection (seen only by inspectorate staff): no workflow until it is published. */
  draft: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function recommendationView(
  rec: RecommendationEntity,
  actor: Actor,
  now: Date,
  supersedes: readonly string[] = [],
  staleAfter: string = DEFAULT_STALE_AFTER,
): RecommendationView {
  // A draft's clock has not started (nothing is sent until it is published): it is never overdue.
  const overdue = rec.draft ? { overdue: false, overdueReason: null, daysOverdue: null } : overdueState(rec, now);
  return {
    id: rec.id,
    inspectionId: rec.inspectionId,
    organisationId: rec.organisationId,
    reference: rec.reference,
    text: rec.text,
    priority: rec.priority,
    timeframe: rec.timeframe,
    status: rec.status,
    outcome: rec.outcome,
    response: rec.response,
    dueAt: rec.dueAt.toISOString(),
    actionPlanDueAt: rec.actionPlanDueAt.toISOString(),
    owner: rec.owner,
    actions: rec.actions,
    targetDate: rec.targetDate,
    rag: rec.rag,
    overdue: overdue.overdue,
    overdueReason: overdue.overdueReason,
    daysOverdue: overdue.daysOverdue,
    noRecentProgress: hasNoRecentProgress(rec, now, staleAfter),
    progressAt: rec.status === 'planned' ? (rec.progressAt?.toISOString() ?? null) : null,
    allowedActions: rec.draft ? [] : allowedActions(rec.status, actor.role),
    area: rec.area,
    supersededById: rec.supersededById,
    supersedes: [...supersedes],
    closedAt: rec.closedAt?.toISOString() ?? null,
    draft: rec.draft === true,
    version: rec.version,
    createdAt: rec.createdAt.toISOString(),
    updatedAt: rec.updatedAt.toISOString(),
  };
}

export interface InspectionView {
  id: string;
  organisationId: string;
  title: string;
  programme: string;
  publishedAt: string;
  leadInspectorId: string;
  actionPlanDueAt: string;
  revisitDueAt: string;
  commissionerCommentsDueAt: string;
  /** Withheld from the public register by an administrator, with the reason; null when shown. */
  registerWithheldReason: string | null;
  /**
   * True while it waits to be published: seen only by inspectorate staff, nothing planned or sent (POST
   * /inspections/:id/publish).
   */
  draft: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  recommendations?: RecommendationView[];
}

export function inspectionView(inspection: InspectionEntity, commissionerCommentsDueAt: Date): InspectionView {
  return {
    id: inspection.id,
    organisationId: inspection.organisationId,
    title: inspection.title,
    programme: inspection.programme,
    publishedAt: inspection.publishedAt.toISOString(),
    leadInspectorId: inspection.leadInspectorId,
    actionPlanDueAt: inspection.actionPlanDueAt.toISOString(),
    revisitDueAt: inspection.revisitDueAt.toISOString(),
    commissionerCommentsDueAt: commissionerCommentsDueAt.toISOString(),
    registerWithheldReason: inspection.registerWithheldReason,
    draft: inspection.draft,
    version: inspection.version,
    createdAt: inspection.createdAt.toISOString(),
    updatedAt: inspection.updatedAt.toISOString(),
  };
}

export function organisationView(org: OrganisationEntity) {
  return {
    id: org.id,
    name: org.name,
    code: org.code,
    version: org.version,
    createdAt: org.createdAt.toISOString(),
    updatedAt: org.updatedAt.toISOString(),
  };
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: string;
  organisationIds: string[];
  /** Sees every force: administrators and inspectors always, a manager when chosen explicitly. */
  allOrganisations: boolean;
  reminderDelivery: string;
  /** False once an administrator has deactivated the person. */
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function userView(user: UserEntity, organisationIds: string[]): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organisationIds,
    allOrganisations: user.allOrganisations || user.role === Role.Admin || user.role === Role.Inspector,
    reminderDelivery: user.reminderDelivery,
    active: user.active,
    version: user.version,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
