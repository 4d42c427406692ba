// Deciding one action: finding its row in the transition table, who may take it, and the checks on state and payload.
import { DomainError, DomainErrorCode, inputProblem, invalidInput } from '../errors/domain-error.js';
import type { Role } from '../roles.js';
import type { RecommendationStatus } from './states.js';
import {
  ALL_ACTIONS,
  TRANSITIONS,
  type Action,
  type Transition,
  type TransitionPayload,
  type WorkflowFields,
} from './transitions.js';

const BY_ACTION = new Map(TRANSITIONS.map((t) => [t.action, t]));

export function transitionFor(action: string): Transition {
  const transition = BY_ACTION.get(action as Action);
  if (!transition) throw invalidInput(`action must be one of: ${ALL_ACTIONS.join(', ')}`);
  return transition;
}

/** The actions `role` may take on a recommendation in `status`: for clients to offer the right buttons. */
export function allowedActions(status: RecommendationStatus, role: Role): Action[] {
  return TRANSITIONS.filter((t) => t.from.includes(status) && t.roles.includes(role)).map((t) => t.action);
}

/** The transition for `action`, if `role` may take it at all (403 otherwise), whatever the state. */
export function authoriseAction(action: string, role: Role): Transition {
  const transition = transitionFor(action);
  if (!transition.roles.includes(role)) {
    throw new DomainError(DomainErrorCode.Forbidden, `role ${role} may not ${transition.action}`);
  }
  return transition;
}

export interface TransitionDecision {
  action: Action;
  fromStatus: RecommendationStatus;
  toStatus: RecommendationStatus;
  changes: Partial<WorkflowFields>;
}

/**
 * Decides one action. Checks in the order a person would understand the refusal: who may act (403),
 * whether the state allows it (409, naming the current state), then what the payload lacks (400).
 */
export function decideTransition(
  current: WorkflowFields,
  action: string,
  role: Role,
  payload: TransitionPayload,
): TransitionDecision {
  const transition = authoriseAction(action, role);
  if (!transition.from.includes(current.status)) {
    throw new DomainError(
      DomainErrorCode.TransitionNotAllowed,
      `cannot ${transition.action} a recommendation whose status is ${current.status}`,
    );
  }
  const violations = [
    ...Object.keys(payload)
      .filter(
        (field) =>
          payload[field as keyof TransitionPayload] !== undefined &&
          !transition.accepts.includes(field as keyof TransitionPayload),
      )
      .map((field) => inputProblem(field, 'notAccepted', `${field} is not accepted by ${transition.action}`)),
    ...transition.requires
      .filter((field) => isMissing(payload[field]))
      .map((field) => inputProblem(field, 'required', `${field} is required`)),
    ...(transition.guard?.(payload, current) ?? []),
  ];
  if (violations.length > 0) throw invalidInput(...violations);

  const toStatus = transition.to ?? current.status;
  return {
    action: transition.action,
    fromStatus: current.status,
    toStatus,
    changes: { ...transition.effect(payload, current), status: toStatus },
  };
}

function isMissing(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim().length === 0;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}
