// The workflow's transition table: who may do what from which state, with which payload.
import { describe, expect, it } from '@jest/globals';
import { DomainError, DomainErrorCode } from '../errors/domain-error.js';
import { ALL_ROLES, Role } from '../roles.js';
import { ALL_STATUSES, RecommendationStatus as S, type RecommendationStatus } from './states.js';
import { allowedActions, decideTransition } from './decide-transition.js';
import { ALL_ACTIONS, type Action, type TransitionPayload, type WorkflowFields } from './transitions.js';

/** The contract's table, written out independently of TRANSITIONS, so a slip in either shows up. */
const CONTRACT: Record<
  Action,
  { roles: Role[]; from: RecommendationStatus[]; to: RecommendationStatus | 'same'; payload: TransitionPayload }
> = {
  submit_plan: {
    roles: [Role.Liaison],
    from: [S.Issued],
    to: S.Planned,
    payload: {
      response: 'agreed',
      owner: 'DCI Jones',
      actions: 'Clear the RSO visit backlog',
      targetDate: '2019-03-31',
    },
  },
  update_progress: {
    roles: [Role.Liaison],
    from: [S.Planned],
    to: 'same',
    payload: { rag: 'amber', comment: 'Half the backlog cleared' },
  },
  propose_closure: {
    roles: [Role.Liaison],
    from: [S.Planned],
    to: S.ClosureProposed,
    payload: { evidence: [{ title: 'Audit of visits', url: 'https://example.org/audit' }] },
  },
  authorise_closure: {
    roles: [Role.Inspector],
    from: [S.ClosureProposed],
    to: S.Closed,
    payload: { outcome: 'implemented' },
  },
  return: {
    roles: [Role.Inspector],
    from: [S.ClosureProposed],
    to: S.Planned,
    payload: { comment: 'Evidence does not show outcomes for victims' },
  },
  close: {
    roles: [Role.Inspector, Role.Admin],
    from: [S.Issued, S.Planned, S.ClosureProposed],
    to: S.Closed,
    payload: { outcome: 'superseded', comment: 'Superseded by the 2019 review' },
  },
  reopen: { roles: [Role.Inspector], from: [S.Closed], to: S.Planned, payload: { comment: 'Backlog has returned' } },
  amend_plan: {
    roles: [Role.Liaison],
    from: [S.Planned],
    to: 'same',
    payload: { owner: 'Head of Public Protection', targetDate: '2019-06-30', comment: 'Recruitment delayed' },
  },
  withdraw_closure: { roles: [Role.Liaison], from: [S.ClosureProposed], to: S.Planned, payload: {} },
};

const fields = (status: RecommendationStatus): WorkflowFields => ({
  status,
  outcome: status === S.Closed ? 'implemented' : null,
  response: null,
  owner: null,
  actions: null,
  targetDate: '2019-01-31',
  rag: null,
});

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not-a-domain-error';
  }
};

describe('the workflow, every state × action × role', () => {
  for (const status of ALL_STATUSES) {
    for (const action of ALL_ACTIONS) {
      for (const role of ALL_ROLES) {
        const rule = CONTRACT[action];
        const expected = !rule.roles.includes(role)
          ? DomainErrorCode.Forbidden
          : !rule.from.includes(status)
            ? DomainErrorCode.TransitionNotAllowed
            : null;
        it(`${role} ${action} from ${status} → ${expected ?? 'allowed'}`, () => {
          const run = () => decideTransition(fields(status), action, role, rule.payload);
          expect(codeOf(run)).toBe(expected);
          if (expected === null) {
            const decision = run();
            expect(decision.fromStatus).toBe(status);
            expect(decision.toStatus).toBe(rule.to === 'same' ? status : rule.to);
            expect(decision.changes.status).toBe(decision.toStatus);
          }
          expect(allowedActions(status, role).includes(action)).toBe(expected === null);
        });
      }
    }
  }
});

describe('payload rules', () => {
  const planned = fields(S.Planned);
  const refusal = (current: WorkflowFields, action: string, role: Role, payload: TransitionPayload): string[] => {
    try {
      decideTransition(current, action, role, payload);
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.InvalidInput) return [...error.details];
      throw error;
    }
    return [];
  };

  it('submit_plan names each missing field', () => {
    expect(refusal(fields(S.Issued), 'submit_plan', Role.Liaison, {})).toEqual(
      expect.arrayContaining([
        'response is required',
        'owner is required',
        'actions is required',
        'targetDate is required',
      ]),
    );
  });

  it('submit_plan needs a comment unless the response is agreed', () => {
    const plan = { owner: 'o', actions: 'a', targetDate: '2019-01-01' };
    expect(refusal(fields(S.Issued), 'submit_plan', Role.Liaison, { ...plan, response: 'agreed' })).toEqual([]);
    expect(refusal(fields(S.Issued), 'submit_plan', Role.Liaison, { ...plan, response: 'partly_agreed' })).toEqual([
      'comment is required unless the response is agreed',
    ]);
    expect(
      refusal(fields(S.Issued), 'submit_plan', Role.Liaison, { ...plan, response: 'not_agreed', comment: '  ' }),
    ).toHaveLength(1);
    expect(
      refusal(fields(S.Issued), 'submit_plan', Role.Liaison, {
        ...plan,
        response: 'not_agreed',
        comment: 'No funding',
      }),
    ).toEqual([]);
  });

  it('update_progress needs a reason only when the target date moves', () => {
    expect(refusal(planned, 'update_progress', Role.Liaison, { rag: 'red', targetDate: '2019-01-31' })).toEqual([]);
    expect(refusal(planned, 'update_progress', Role.Liaison, { rag: 'red', targetDate: '2019-06-30' })).toEqual([
      'comment is required to give the reason for a new targetDate',
    ]);
    const moved = decideTransition(planned, 'update_progress', Role.Liaison, {
      rag: 'red',
      targetDate: '2019-06-30',
      comment: 'Recruitment delayed',
    });
    expect(moved.changes).toMatchObject({ rag: 'red', targetDate: '2019-06-30', status: S.Planned });
  });

  it('propose_closure needs evidence with titles', () => {
    expect(refusal(planned, 'propose_closure', Role.Liaison, {})).toEqual(['evidence is required']);
    expect(refusal(planned, 'propose_closure', Role.Liaison, { evidence: [] })).toEqual(['evidence is required']);
    expect(refusal(planned, 'propose_closure', Role.Liaison, { evidence: [{ title: 'ok' }, { title: '' }] })).toEqual([
      'evidence[1].title is required',
    ]);
  });

  it('closing outcomes are constrained per action', () => {
    const proposed = fields(S.ClosureProposed);
    expect(refusal(proposed, 'authorise_closure', Role.Inspector, { outcome: 'superseded' })).toEqual([
      'outcome must be one of: implemented',
    ]);
    expect(decideTransition(proposed, 'authorise_closure', Role.Inspector, {}).changes.outcome).toBe('implemented');
    expect(refusal(planned, 'close', Role.Admin, { outcome: 'implemented', comment: 'x' })).toEqual([
      'outcome must be one of: not_implemented, superseded',
    ]);
    expect(refusal(planned, 'close', Role.Admin, { outcome: 'not_implemented' })).toEqual(['comment is required']);
  });

  it('return and reopen need a comment; reopen clears the outcome', () => {
    expect(refusal(fields(S.ClosureProposed), 'return', Role.Inspector, {})).toEqual(['comment is required']);
    expect(refusal(fields(S.Closed), 'reopen', Role.Inspector, {})).toEqual(['comment is required']);
    expect(decideTransition(fields(S.Closed), 'reopen', Role.Inspector, { comment: 'again' }).changes).toMatchObject({
      outcome: null,
      status: S.Planned,
    });
  });

  it('amend_plan takes any of owner, actions and target date, and needs a reason only when the date moves', () => {
    const current = { ...planned, owner: 'DCI Jones', actions: 'Audit visits', targetDate: '2019-01-31' };
    expect(refusal(current, 'amend_plan', Role.Liaison, {})).toEqual(['owner, actions or targetDate is required']);
    expect(refusal(current, 'amend_plan', Role.Liaison, { comment: 'just a note' })).toEqual([
      'owner, actions or targetDate is required',
    ]);
    expect(refusal(current, 'amend_plan', Role.Liaison, { owner: '  ' })).toEqual(['owner must not be empty']);
    expect(refusal(current, 'amend_plan', Role.Liaison, { owner: 'DCI Jones', targetDate: '2019-01-31' })).toEqual([
      'owner, actions or targetDate must differ from the current plan',
    ]);
    expect(refusal(current, 'amend_plan', Role.Liaison, { targetDate: '2019-06-30' })).toEqual([
      'comment is required to give the reason for a new targetDate',
    ]);
    expect(refusal(current, 'amend_plan', Role.Liaison, { rag: 'red', owner: 'x' })).toEqual([
      'rag is not accepted by amend_plan',
    ]);
    // A new owner alone, or the same date sent back with new actions, needs no reason.
    expect(decideTransition(current, 'amend_plan', Role.Liaison, { owner: 'DS Smith' }).changes).toEqual({
      owner: 'DS Smith',
      status: S.Planned,
    });
    expect(
      decideTransition(current, 'amend_plan', Role.Liaison, { actions: 'Audit and recruit', targetDate: '2019-01-31' })
        .changes,
    ).toEqual({
      actions: 'Audit and recruit',
      targetDate: '2019-01-31',
      status: S.Planned,
    });
    const moved = decideTransition(current, 'amend_plan', Role.Liaison, {
      targetDate: '2019-06-30',
      comment: 'Recruitment delayed',
    });
    expect(moved.changes).toEqual({ targetDate: '2019-06-30', status: S.Planned });
    // The response given with the plan is not the liaison's to amend.
    expect(refusal(current, 'amend_plan', Role.Liaison, { owner: 'x', response: 'not_agreed' })).toEqual([
      'response is not accepted by amend_plan',
    ]);
  });

  it('withdraw_closure takes the proposal back to planned, with an optional comment and nothing else', () => {
    const proposed = fields(S.ClosureProposed);
    expect(decideTransition(proposed, 'withdraw_closure', Role.Liaison, {}).changes).toEqual({ status: S.Planned });
    expect(
      decideTransition(proposed, 'withdraw_closure', Role.Liaison, { comment: 'Wrong file attached' }).toStatus,
    ).toBe(S.Planned);
    expect(refusal(proposed, 'withdraw_closure', Role.Liaison, { evidence: [{ title: 'x' }] })).toEqual([
      'evidence is not accepted by withdraw_closure',
    ]);
  });

  it('refuses fields the action does not take, naming them', () => {
    expect(refusal(planned, 'update_progress', Role.Liaison, { rag: 'green', outcome: 'implemented' })).toEqual([
      'outcome is not accepted by update_progress',
    ]);
  });

  it('refuses an unknown action as invalid input', () => {
    expect(codeOf(() => decideTransition(planned, 'approve', Role.Inspector, {}))).toBe(DomainErrorCode.InvalidInput);
  });

  it('names the current state when the state forbids the action', () => {
    expect(() => decideTransition(fields(S.Closed), 'update_progress', Role.Liaison, { rag: 'red' })).toThrow(
      /status is closed/,
    );
  });
});
