// A posted workflow form, from the body to RecommendationsService.transition; every refusal becomes words, never a 500.
import type { RecommendationsService } from '#application';
import { DomainError, DomainErrorCode, type Action, type Actor } from '#domain';
import { formErrors, textField, type FormErrors } from '../view-models/form-errors.js';
import type { PostedForm } from '../view-models/recommendation-page.js';
import type { Flash } from '../web-session.js';
import { explain, readTransitionForm, type FormValues } from './transition.form.js';
import { isFormAction, TRANSITION_FORMS } from './transition-forms.js';

export type ActionOutcome =
  | { kind: 'saved'; flash: Flash }
  /** Re-render the page (with its current state) at `status`, showing `errors` and, for a form, what was entered. */
  | { kind: 'refused'; status: number; errors: FormErrors; posted?: PostedForm };

const DONE: Record<Action, string> = {
  submit_plan: 'Action plan submitted',
  update_progress: 'Progress updated',
  propose_closure: 'Closure proposed: the lead inspector has been asked to review the evidence',
  authorise_closure: 'Closure authorised: the recommendation is closed',
  return: 'Returned to the force',
  close: 'Recommendation closed',
  reopen: 'Recommendation reopened',
};

/** The summary's link for a message about the whole page rather than one field. */
const CURRENT_STATE = 'current-state';

const refusal = (status: number, text: string, posted?: { action: Action; values: FormValues }): ActionOutcome => {
  const errors = formErrors([{ field: '_page', text, anchor: CURRENT_STATE }]);
  return { kind: 'refused', status, errors, posted: posted && { ...posted, errors: { summary: [], fields: {} } } };
};

/** `fileIds`: evidence files uploaded with the form (propose closure), cited by its evidence item. */
export async function takeAction(recommendations: RecommendationsService, actor: Actor, id: string, body: unknown, fileIds: string[] = []): Promise<ActionOutcome> {
  const action = textField(body, 'action');
  if (!isFormAction(action)) return refusal(400, 'Choose one of the actions on this page');
  const read = await readTransitionForm(action, body);
  const posted = { action, values: read.values };
  const stale = () =>
    refusal(409, 'Someone else changed this recommendation while you were working on it, so nothing you sent was saved. Its current state is shown below: check it and try again', posted);
  if (read.version === null) return stale();
  if (!read.request) {
    const errors = formErrors(read.problems);
    return { kind: 'refused', status: 400, errors, posted: { ...posted, errors } };
  }
  try {
    const evidence = read.request.evidence?.map((item) => (fileIds.length > 0 ? { ...item, fileIds } : item));
    await recommendations.transition(actor, id, { ...read.request, ...(evidence ? { evidence } : {}), version: read.version });
    return { kind: 'saved', flash: { heading: DONE[action], lines: [] } };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    switch (error.code) {
      case DomainErrorCode.StaleVersion:
        return stale();
      case DomainErrorCode.TransitionNotAllowed:
        return refusal(409, `This recommendation has moved on, so you can no longer ${TRANSITION_FORMS[action].heading.toLowerCase()}. Its current state is shown below`);
      case DomainErrorCode.Forbidden:
        return refusal(403, `You cannot ${TRANSITION_FORMS[action].heading.toLowerCase()} on this recommendation`);
      case DomainErrorCode.InvalidInput: {
        const errors = formErrors(explain(read.form, error.details.length > 0 ? error.details : [error.message]));
        return { kind: 'refused', status: 400, errors, posted: { ...posted, errors } };
      }
      default:
        throw error;
    }
  }
}
