// The workflow's transition table (state, action, roles, payload, next state); decide-transition.ts makes the decision.
import { inputProblem, type InputProblem } from '../errors/domain-error.js';
import { Role } from '../roles.js';
import { Outcome, PlanResponse, type Rag, RecommendationStatus as S, type RecommendationStatus } from './states.js';

export const Action = {
  SubmitPlan: 'submit_plan',
  UpdateProgress: 'update_progress',
  ProposeClosure: 'propose_closure',
  AuthoriseClosure: 'authorise_closure',
  Return: 'return',
  Close: 'close',
  Reopen: 'reopen',
  AmendPlan: 'amend_plan',
  WithdrawClosure: 'withdraw_closure',
} as const;
export type Action = (typeof Action)[keyof typeof Action];
export const ALL_ACTIONS: readonly Action[] = Object.values(Action);

export interface EvidenceInput {
  title: string;
  url?: string | null;
  note?: string | null;
  /** Uploaded evidence files the item cites (checked against the recommendation's clean files by the application). */
  fileIds?: string[];
}

/** What a client sends with an action, already shape-checked at the edge. */
export interface TransitionPayload {
  comment?: string | null;
  response?: PlanResponse;
  owner?: string;
  actions?: string;
  targetDate?: string;
  rag?: Rag;
  evidence?: EvidenceInput[];
  outcome?: Outcome;
  /** With `close` as superseded: the recommendation of a later inspection that replaces this one. */
  supersededById?: string;
}

/** The fields of a recommendation that transitions may change. */
export interface WorkflowFields {
  status: RecommendationStatus;
  outcome: Outcome | null;
  response: PlanResponse | null;
  owner: string | null;
  actions: string | null;
  targetDate: string | null;
  rag: Rag | null;
  /** Absent on callers that never change lineage; `close` and `reopen` set it. */
  supersededById?: string | null;
}

export interface Transition {
  action: Action;
  from: readonly RecommendationStatus[];
  /** `null` keeps the current state (a self-transition such as a progress update). */
  to: RecommendationStatus | null;
  roles: readonly Role[];
  /** Payload fields that must be present and non-empty. */
  requires: readonly (keyof TransitionPayload)[];
  /** Every payload field the action takes; any other is refused. */
  accepts: readonly (keyof TransitionPayload)[];
  /** A named rule over the payload; returns the violations (each naming its field). */
  guard?: (payload: TransitionPayload, current: WorkflowFields) => InputProblem[];
  /** The field changes the transition makes, besides the status. */
  effect: (payload: TransitionPayload, current: WorkflowFields) => Partial<WorkflowFields>;
}

const commentRequired =
  (rule: string, why: string) =>
  (p: TransitionPayload): InputProblem[] =>
    hasText(p.comment) ? [] : [inputProblem('comment', rule, `comment is required ${why}`)];

const outcomeOneOf =
  (allowed: readonly Outcome[]) =>
  (p: TransitionPayload): InputProblem[] =>
    p.outcome === undefined || allowed.includes(p.outcome)
      ? []
      : [inputProblem('outcome', 'isIn', `outcome must be one of: ${allowed.join(', ')}`)];

/** An inspector's decision whose only payload is its reason, the comment. */
const inspectorDecision = (
  action: Action,
  from: RecommendationStatus,
  to: RecommendationStatus,
  effect: Transition['effect'],
): Transition => ({
  action,
  from: [from],
  to,
  roles: [Role.Inspector],
  requires: ['comment'],
  accepts: ['comment'],
  effect,
});

const REASON_FOR_NEW_DATE = commentRequired('reasonForNewTargetDate', 'to give the reason for a new targetDate');

/** The plan fields a liaison may amend after submitting the plan. */
const PLAN_FIELDS = ['owner', 'actions', 'targetDate'] as const;

/** `amend_plan`: at least one plan field, none blank, something changed, and a reason when the target date moves. */
const amendGuard = (p: TransitionPayload, current: WorkflowFields): InputProblem[] => {
  const given = PLAN_FIELDS.filter((f) => p[f] !== undefined && p[f] !== null);
  if (given.length === 0)
    return [inputProblem('owner', 'planFieldRequired', 'owner, actions or targetDate is required')];
  const blank = given.filter((f) => !hasText(p[f])).map((f) => inputProblem(f, 'notEmpty', `${f} must not be empty`));
  if (blank.length > 0) return blank;
  if (given.every((f) => p[f] === current[f]))
    return [inputProblem('owner', 'planMustChange', 'owner, actions or targetDate must differ from the current plan')];
  return p.targetDate !== undefined && p.targetDate !== current.targetDate ? REASON_FOR_NEW_DATE(p) : [];
};

const CLOSING_OUTCOMES = [Outcome.NotImplemented, Outcome.Superseded] as const;
/** The outcomes each closing action takes (the others take none). */
export const OUTCOMES_BY_ACTION: Partial<Record<Action, readonly Outcome[]>> = {
  authorise_closure: [Outcome.Implemented],
  close: CLOSING_OUTCOMES,
};
const OPEN_STATUSES = [S.Issued, S.Planned, S.ClosureProposed] as const;

/**
 * The recommendation workflow, as data. One row per action: where it may start, where it ends, who may
 * take it, what it needs. Everything else (HTTP, persistence, notifications) reads this table.
 */
export const TRANSITIONS: readonly Transition[] = [
  {
    action: Action.SubmitPlan,
    from: [S.Issued],
    to: S.Planned,
    roles: [Role.Liaison],
    requires: ['response', 'owner', 'actions', 'targetDate'],
    accepts: ['response', 'owner', 'actions', 'targetDate', 'comment'],
    guard: (p) =>
      p.response === PlanResponse.Agreed
        ? []
        : commentRequired('requiredUnlessAgreed', 'unless the response is agreed')(p),
    effect: (p) => ({ response: p.response, owner: p.owner, actions: p.actions, targetDate: p.targetDate }),
  },
  {
    action: Action.UpdateProgress,
    from: [S.Planned],
    to: null,
    roles: [Role.Liaison],
    requires: ['rag'],
    accepts: ['rag', 'targetDate', 'comment'],
    guard: (p, current) =>
      p.targetDate !== undefined && p.targetDate !== current.targetDate ? REASON_FOR_NEW_DATE(p) : [],
    effect: (p) => ({ rag: p.rag, ...(p.targetDate !== undefined ? { targetDate: p.targetDate } : {}) }),
  },
  {
    action: Action.ProposeClosure,
    from: [S.Planned],
    to: S.ClosureProposed,
    roles: [Role.Liaison],
    requires: ['evidence'],
    accepts: ['evidence', 'comment'],
    guard: (p) =>
      (p.evidence ?? []).flatMap((e, i) =>
        hasText(e.title) ? [] : [inputProblem(`evidence.${i}.title`, 'required', `evidence[${i}].title is required`)],
      ),
    effect: () => ({}),
  },
  {
    action: Action.AuthoriseClosure,
    from: [S.ClosureProposed],
    to: S.Closed,
    roles: [Role.Inspector],
    requires: [],
    accepts: ['outcome', 'comment'],
    guard: outcomeOneOf(OUTCOMES_BY_ACTION.authorise_closure ?? []),
    effect: () => ({ outcome: Outcome.Implemented }),
  },
  inspectorDecision(Action.Return, S.ClosureProposed, S.Planned, () => ({})),
  {
    action: Action.Close,
    from: OPEN_STATUSES,
    to: S.Closed,
    roles: [Role.Inspector, Role.Admin],
    requires: ['outcome', 'comment'],
    accepts: ['outcome', 'comment', 'supersededById'],
    guard: (p) => [
      ...outcomeOneOf(OUTCOMES_BY_ACTION.close ?? [])(p),
      ...(p.supersededById !== undefined && p.outcome !== Outcome.Superseded
        ? [
            inputProblem(
              'supersededById',
              'onlyWhenSuperseded',
              'supersededById is accepted only with outcome superseded',
            ),
          ]
        : []),
    ],
    effect: (p) => ({ outcome: p.outcome, supersededById: p.supersededById ?? null }),
  },
  inspectorDecision(Action.Reopen, S.Closed, S.Planned, () => ({ outcome: null, supersededById: null })),
  {
    action: Action.AmendPlan,
    from: [S.Planned],
    to: null,
    roles: [Role.Liaison],
    requires: [],
    accepts: ['owner', 'actions', 'targetDate', 'comment'],
    guard: amendGuard,
    effect: (p) =>
      Object.fromEntries(PLAN_FIELDS.filter((f) => p[f] !== undefined && p[f] !== null).map((f) => [f, p[f]])),
  },
  {
    action: Action.WithdrawClosure,
    from: [S.ClosureProposed],
    to: S.Planned,
    roles: [Role.Liaison],
    requires: [],
    accepts: ['comment'],
    effect: () => ({}),
  },
];

/** The inspector's decisions on a recommendation: each is emailed to the force at once (kind `decision`). */
export const DECISION_ACTIONS: readonly Action[] = [
  Action.Return,
  Action.AuthoriseClosure,
  Action.Close,
  Action.Reopen,
];

export function isDecision(action: string): boolean {
  return (DECISION_ACTIONS as readonly string[]).includes(action);
}

function hasText(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}
