// A posted workflow form, from the body to RecommendationsService.transition (or, for a decision, to its confirmation);
// every refusal becomes words (its status from shared/error-status.ts), never a 500.
import type { RecommendationsService } from '#application';
import {
  Action as Actions,
  DomainError,
  DomainErrorCode,
  invalidInput,
  transitionFor,
  type Action,
  type Actor,
} from '#domain';
import { formStatusOf } from '../../shared/error-status.js';
import { formErrors, textField, type FieldMessage, type FormErrors } from '../view-models/form-errors.js';
import type { PostedForm } from '../view-models/recommendation-page.js';
import type { Flash } from '../web-session.js';
import { explainDecision, readDecisionForm, type PendingDecision } from './decision.form.js';
import { explain, readTransitionForm, type FormValues, type ReadForm } from './transition.form.js';
import {
  DECIDE,
  DECISION_FORM,
  isConfirmedAction,
  isFormAction,
  TRANSITION_FORMS,
  type FormId,
} from './transition-forms.js';

export type ActionOutcome =
  | { kind: 'saved'; flash: Flash }
  /** Checked, not saved: show the check-your-answers page for it. */
  | { kind: 'confirm'; pending: PendingDecision }
  /** Re-render the page (with its current state) at `status`, showing `errors` and, for a form, what was entered. */
  | { kind: 'refused'; status: number; errors: FormErrors; posted?: PostedForm };

const DONE: Record<Action, string> = {
  submit_plan: 'Action plan submitted',
  update_progress: 'Progress updated',
  propose_closure: 'Closure proposed: the lead inspector has been asked to review the evidence',
  authorise_closure: 'Closure authorised: the recommendation is closed. The force has been emailed',
  return: 'Closure returned to the force. The force has been emailed',
  close: 'Recommendation closed. The force has been emailed',
  reopen: 'Recommendation reopened. The force has been emailed',
  amend_plan: 'Action plan amended',
  withdraw_closure: 'Closure proposal withdrawn: the recommendation is planned again',
};

/** The summary's link for a message about the whole page rather than one field. */
const CURRENT_STATE = 'current-state';

const refusal = (status: number, text: string, posted?: { action: FormId; values: FormValues }): ActionOutcome => {
  const errors = formErrors([{ field: '_page', text, anchor: CURRENT_STATE }]);
  return { kind: 'refused', status, errors, posted: posted && { ...posted, errors: { summary: [], fields: {} } } };
};

const headingOf = (form: FormId): string =>
  (form === DECIDE ? DECISION_FORM : TRANSITION_FORMS[form]).heading.toLowerCase();

/**
 * A posted form. The decision question, `Close recommendation` and `Reopen` are only checked here (the same
 * checks as saving, nothing saved) and go to their confirmation; every other action is saved at once.
 */
/** `fileIds`: evidence files uploaded with the form (propose closure), cited by its evidence item. */
export async function takeAction(
  recommendations: RecommendationsService,
  actor: Actor,
  id: string,
  body: unknown,
  fileIds: string[] = [],
): Promise<ActionOutcome> {
  const posted = textField(body, 'action');
  // Who may act comes first (403), before what the form lacks (400), as the service decides it.
  const forbidden = (action: Action, form: FormId) =>
    transitionFor(action).roles.includes(actor.role)
      ? null
      : refusal(formStatusOf(DomainErrorCode.Forbidden), `You cannot ${headingOf(form)} on this recommendation`);
  if (posted === DECIDE)
    return forbidden(Actions.Return, DECIDE) ?? check(recommendations, actor, id, await readDecisionForm(body), DECIDE);
  if (!isFormAction(posted))
    return refusal(formStatusOf(DomainErrorCode.InvalidInput), 'Choose one of the actions on this page');
  const refused = forbidden(posted, posted);
  if (refused) return refused;
  const read = await readTransitionForm(posted, body);
  if (isConfirmedAction(posted)) return check(recommendations, actor, id, { ...read, action: posted }, posted);
  return attempt(read, posted, posted, async () => {
    const evidence = read.request!.evidence?.map((item) => (fileIds.length > 0 ? { ...item, fileIds } : item));
    await recommendations.transition(actor, id, {
      ...read.request!,
      ...(evidence ? { evidence } : {}),
      version: read.version!,
    });
    return { kind: 'saved', flash: { heading: DONE[posted], lines: [] } };
  });
}

/** `Confirm decision`: saves the decision the person checked, against the version they saw. */
export function confirmDecision(
  recommendations: RecommendationsService,
  actor: Actor,
  pending: PendingDecision,
): Promise<ActionOutcome> {
  const read = { version: pending.version, values: pending.values, problems: [], request: null };
  return attempt(read, pending.form, pending.action, async () => {
    const request = {
      action: pending.action,
      version: pending.version,
      ...(pending.comment ? { comment: pending.comment } : {}),
      ...(pending.outcome ? { outcome: pending.outcome as never } : {}),
    };
    await recommendations.transition(actor, pending.recommendationId, request);
    return { kind: 'saved', flash: { heading: DONE[pending.action], lines: [] } };
  });
}

async function check(
  recommendations: RecommendationsService,
  actor: Actor,
  id: string,
  read: ReadForm & { action: Action | null },
  form: FormId,
): Promise<ActionOutcome> {
  return attempt(read, form, read.action, async () => {
    const request = read.request!;
    await recommendations.check(actor, id, { ...request, version: read.version! });
    const pending: PendingDecision = {
      recommendationId: id,
      form,
      action: request.action as Action,
      comment: request.comment ?? null,
      outcome: request.outcome ?? null,
      version: read.version!,
      values: read.values,
    };
    return { kind: 'confirm', pending };
  });
}

/** Runs `work` once the form reads as a request; a refusal by the service comes back as words on the page. */
async function attempt(
  read: Pick<ReadForm, 'version' | 'values' | 'problems'> & { request: ReadForm['request'] | null },
  form: FormId,
  action: Action | null,
  work: () => Promise<ActionOutcome>,
): Promise<ActionOutcome> {
  const posted = { action: form, values: read.values };
  const stale = () =>
    refusal(
      formStatusOf(DomainErrorCode.StaleVersion),
      'Someone else changed this recommendation while you were working on it, so nothing you sent was saved. Its current state is shown below: check it and try again',
      posted,
    );
  if (read.version === null) return stale();
  if (read.problems.length > 0) {
    const errors = formErrors(read.problems);
    return {
      kind: 'refused',
      status: formStatusOf(DomainErrorCode.InvalidInput),
      errors,
      posted: { ...posted, errors },
    };
  }
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    switch (error.code) {
      case DomainErrorCode.StaleVersion:
        return stale();
      case DomainErrorCode.TransitionNotAllowed:
        return refusal(
          formStatusOf(error.code),
          `This recommendation has moved on, so you can no longer ${headingOf(form)}. Its current state is shown below`,
        );
      case DomainErrorCode.Forbidden:
        return refusal(formStatusOf(error.code), `You cannot ${headingOf(form)} on this recommendation`);
      case DomainErrorCode.InvalidInput: {
        const problems = error.problems.length > 0 ? error.problems : invalidInput(error.message).problems;
        const words: FieldMessage[] =
          form === DECIDE && action
            ? explainDecision(action, problems)
            : explain(form === DECIDE ? DECISION_FORM : TRANSITION_FORMS[form], problems);
        const errors = formErrors(words);
        return { kind: 'refused', status: formStatusOf(error.code), errors, posted: { ...posted, errors } };
      }
      default:
        throw error;
    }
  }
}
