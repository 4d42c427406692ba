// The inspector's one-question decision (`What is your decision?`) read into the API's transition request, and the
// decision waiting in the session for its confirmation.
import { Action, type InputProblem } from '#domain';
import { textField, type FieldMessage } from '../view-models/form-errors.js';
import {
  explainOne,
  fieldId,
  readTransitionForm,
  readValues,
  type FormValues,
  type ReadForm,
} from './transition.form.js';
import { DECIDE, DECISION_CHOICES, DECISION_FORM, type FormId } from './transition-forms.js';

/** A checked decision, kept in the session until `Confirm decision` saves it (or the person changes it). */
export interface PendingDecision {
  recommendationId: string;
  /** The form it came from: the decision question, `close` or `reopen`; `Change` opens it again with `values`. */
  form: FormId;
  action: Action;
  comment: string | null;
  outcome: string | null;
  version: number;
  values: FormValues;
}

declare module 'express-session' {
  interface SessionData {
    /** The decision on the check-your-answers page: one at a time, for one recommendation. */
    pendingDecision: PendingDecision;
  }
}

const REASON_NEEDED: Partial<Record<Action, string>> = {
  [Action.Return]: 'Enter a reason for returning the closure',
  [Action.Close]: 'Enter a reason for closing without implementation',
};

/**
 * The decision question's answers as the request the chosen action takes (a reason for every choice; an outcome only to
 * close).
 */
export async function readDecisionForm(body: unknown): Promise<ReadForm & { action: Action | null }> {
  const values = readValues(DECISION_FORM, body);
  const choice = DECISION_CHOICES.find(([action]) => action === values.decision)?.[0] ?? null;
  if (!choice) {
    const versionText = textField(body, 'version');
    const problem: FieldMessage = {
      field: 'decision',
      text: 'Select your decision',
      anchor: fieldId(DECIDE, 'decision'),
    };
    return {
      form: DECISION_FORM,
      version: /^\d{1,9}$/.test(versionText) ? Number(versionText) : null,
      values,
      request: null,
      problems: [problem],
      action: null,
    };
  }
  const fields = DECISION_FORM.fields.filter(
    (f) => f.name === 'comment' || (f.name === 'outcome' && choice === Action.Close),
  );
  const read = await readTransitionForm(choice, body, { ...DECISION_FORM, fields });
  return {
    ...read,
    form: DECISION_FORM,
    values,
    problems: read.problems.map((p) => decisionWords(choice, p)),
    action: choice,
  };
}

/** A refusal of the decision's reason, in the words of the decision: "Enter a reason for returning the closure". */
export function decisionWords(action: Action, problem: FieldMessage): FieldMessage {
  return problem.field === 'comment' && /^Enter /.test(problem.text) && REASON_NEEDED[action]
    ? { ...problem, text: REASON_NEEDED[action] }
    : problem;
}

/** Domain problems with a decision, in its words. */
export function explainDecision(action: Action, problems: readonly InputProblem[]): FieldMessage[] {
  return problems.map((p) => decisionWords(action, explainOne(DECISION_FORM, p)));
}
