// Reads a posted workflow form into the API's transition request, and turns every refusal into words for its field.
import { BadRequestException } from '@nestjs/common';
import type { TransitionInput } from '#application';
import {
  inputProblem,
  invalidInput,
  transitionFor,
  type Action,
  type InputProblem,
  type WorkflowFields,
} from '#domain';
import { InvalidRequest } from '../../shared/input-problems.js';
import { createValidationPipe } from '../../shared/validation.js';
import { TransitionRequest } from '../../shared/dto/recommendations.dto.js';
import { isEmptyDate, parseDateParts, readDateParts, type DateParts } from '../view-models/date-input.js';
import { textField, type FieldMessage } from '../view-models/form-errors.js';
import { TRANSITION_FORMS, type FormField, type FormId, type TransitionForm } from './transition-forms.js';

/** What the person entered, kept to show again: text by field name, date boxes by field name. */
export type FormValues = Record<string, string | DateParts>;

export interface ReadForm {
  form: TransitionForm;
  /** null when the hidden version is missing or not a number: treated as a stale form. */
  version: number | null;
  values: FormValues;
  /** The request the API would take, or the problems found before it could be built. */
  request: TransitionInput | null;
  problems: FieldMessage[];
}

const pipe = createValidationPipe();

export function fieldId(action: FormId, field: string): string {
  return `${action}-${field}`;
}

/**
 * The values as a form shows them before anything is entered (a progress update starts from the current rating and
 * date).
 */
export function readValues(form: TransitionForm, body: unknown): FormValues {
  return Object.fromEntries(
    form.fields.map((f) => [f.name, f.kind === 'date' ? readDateParts(body, f.name) : textField(body, f.name)]),
  );
}

/**
 * Builds the same request body an API client would send and runs it through the API's own validation
 * (the TransitionRequest DTO and pipe), so the web and the API accept exactly the same things.
 */
export async function readTransitionForm(
  action: Action,
  body: unknown,
  form: TransitionForm = TRANSITION_FORMS[action],
): Promise<ReadForm> {
  const values = readValues(form, body);
  const versionText = textField(body, 'version');
  const version = /^\d{1,9}$/.test(versionText) ? Number(versionText) : null;
  const problems: FieldMessage[] = [];
  const candidate: Record<string, unknown> = { action, version: version ?? 0 };
  for (const field of form.fields) {
    // Files travel beside the form (uploaded first, then cited by id): see recommendations-page.controller.
    if (field.kind === 'file') continue;
    const value = values[field.name];
    if (field.keep && (typeof value === 'string' ? value.trim() === '' : isEmptyDate(value))) {
      problems.push(explainOne(form, inputProblem(field.name, 'required', `${field.name} is required`)));
      continue;
    }
    if (typeof value !== 'string') {
      if (isEmptyDate(value)) continue;
      const parsed = parseDateParts(value, field.name, field.label, fieldId(form.action, field.name));
      if (parsed.ok) candidate[field.name] = parsed.date;
      else problems.push(parsed.error);
    } else if (value.trim() !== '') {
      candidate[field.name] = field.kind === 'textarea' ? value : value.trim();
    }
  }
  const evidence = takeEvidence(candidate);
  if (evidence) candidate.evidence = [evidence];
  // Every problem at once: the dates, the workflow's own rules (what the action requires), and the API's checks.
  problems.push(...explain(form, ruleViolations(action, candidate, problems)));
  let request: TransitionInput | null = null;
  try {
    request = {
      ...((await pipe.transform(candidate, {
        type: 'body',
        metatype: TransitionRequest,
        data: '',
      })) as TransitionInput),
    };
  } catch (error) {
    if (!(error instanceof BadRequestException)) throw error;
    problems.push(
      ...explain(form, error instanceof InvalidRequest ? error.problems : invalidInput(error.message).problems),
    );
  }
  const all = inFormOrder(form, problems);
  return { form, version, values, request: all.length > 0 ? null : request, problems: all };
}

/**
 * What the transition table says the payload lacks (its required fields and its payload-only rules), checked
 * here too so that they are listed with the form's other problems; a field with a problem already is left out.
 * The service checks them all again (with the rules that need the recommendation's current values).
 */
function ruleViolations(
  action: Action,
  candidate: Record<string, unknown>,
  already: readonly FieldMessage[],
): InputProblem[] {
  const transition = transitionFor(action);
  const flagged = new Set(already.map((p) => p.field));
  const missing = transition.requires
    .filter((field) => !flagged.has(field) && isMissingValue(candidate[field]))
    .map((field) => inputProblem(field, 'required', `${field} is required`));
  // A rule over the payload (a comment needed unless the response is agreed) is judged once what it depends on is
  // there; rules that compare with the current values see none changed here (the service decides those).
  const current = { ...candidate, status: 'issued' } as unknown as WorkflowFields;
  const guards = missing.length === 0 && flagged.size > 0 ? (transition.guard?.(candidate, current) ?? []) : [];
  return [...missing, ...guards.filter((p) => !flagged.has(p.field.split('.')[0]))];
}

function isMissingValue(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** One message per field, in the order the fields are on the form (GOV.UK's error summary order). */
function inFormOrder(form: TransitionForm, problems: readonly FieldMessage[]): FieldMessage[] {
  const index = (p: FieldMessage) => {
    const i = form.fields.findIndex((f) => f.name === p.field);
    return i < 0 ? form.fields.length : i;
  };
  const seen = new Set<string>();
  return [...problems]
    .sort((a, b) => index(a) - index(b))
    .filter((p) => (seen.has(p.field) ? false : (seen.add(p.field), true)));
}

/** The three evidence boxes are one evidence item in the API's terms. */
function takeEvidence(candidate: Record<string, unknown>): Record<string, unknown> | null {
  const { evidenceTitle, evidenceUrl, evidenceNote } = candidate;
  delete candidate.evidenceTitle;
  delete candidate.evidenceUrl;
  delete candidate.evidenceNote;
  if (evidenceTitle === undefined && evidenceUrl === undefined && evidenceNote === undefined) return null;
  return {
    title: evidenceTitle ?? '',
    ...(evidenceUrl !== undefined ? { url: evidenceUrl } : {}),
    ...(evidenceNote !== undefined ? { note: evidenceNote } : {}),
  };
}

/**
 * The form field a problem is about: its field, with an evidence item's paths (`evidence.0.url`) folded onto the three
 * boxes.
 */
export function fieldOf(form: TransitionForm, problem: InputProblem): FormField | undefined {
  const [top, ...rest] = problem.field.split('.');
  const leaf = rest.at(-1);
  const name =
    top !== 'evidence'
      ? problem.field
      : leaf === 'url'
        ? 'evidenceUrl'
        : leaf === 'note'
          ? 'evidenceNote'
          : 'evidenceTitle';
  return form.fields.find((f) => f.name === name);
}

const REQUIRED: Record<string, string> = {
  response: 'Select whether the force agrees with the recommendation',
  owner: 'Enter the owner',
  actions: 'Enter the actions',
  targetDate: 'Enter the target date',
  rag: 'Select a RAG status',
  evidenceTitle: 'Enter the evidence title',
  outcome: 'Select an outcome',
  comment: 'Enter a comment',
};

/** A required comment is the reason for a decision: GOV.UK's "Enter a reason for …". */
const REASON_REQUIRED: Partial<Record<FormId, string>> = {
  return: 'Enter a reason for returning the closure',
  close: 'Enter a reason for closing without implementation',
  reopen: 'Enter a reason for reopening the recommendation',
};

/** The rules whose words are "Enter …" (or "Select …" for a choice). */
const MISSING = new Set(['required', 'notEmpty', 'isNotEmpty', 'arrayMinSize']);

/** One problem in words for its field, chosen by its rule; the technical message is never shown as it is. */
export function explainOne(form: TransitionForm, problem: InputProblem): FieldMessage {
  const own = fieldOf(form, problem);
  const field = own ?? form.fields[0];
  const at = (text: string): FieldMessage => ({
    field: field.name,
    text,
    anchor: field.kind === 'date' ? `${fieldId(form.action, field.name)}-day` : fieldId(form.action, field.name),
  });
  const enter = () => REQUIRED[field.name] ?? `Enter the ${field.label.toLowerCase()}`;
  switch (problem.rule) {
    case 'requiredUnlessAgreed':
      return at('Enter a comment saying why the force does not fully agree');
    case 'reasonForNewTargetDate':
      return at(
        form.action === 'amend_plan'
          ? 'Enter the reason for the new date'
          : 'Enter a comment giving the reason for the new target date',
      );
    case 'planFieldRequired':
      return at('Enter the owner, actions or target date');
    case 'planMustChange':
      return at('Change the owner, actions or target date, or leave the plan as it is');
    case 'maxLength':
      return at(`${field.label} must be ${Number(problem.args?.[0]).toLocaleString('en-GB')} characters or fewer`);
    case 'isUrl':
      return at('Enter the evidence link as a full web address, like https://intranet.example/audit');
    case 'isIn':
      return at(REQUIRED[field.name] ?? `Select the ${field.label.toLowerCase()}`);
  }
  if (MISSING.has(problem.rule)) {
    const reason = REASON_REQUIRED[form.action as Action];
    return at(field.name === 'comment' && problem.rule === 'required' && reason ? reason : enter());
  }
  // Whatever else is wrong with a date (its format, a rule about it) is said the same way.
  if (own?.kind === 'date') return at(`${field.label} must be a real date`);
  return at(`Check the ${field.label.toLowerCase()}`);
}

export function explain(form: TransitionForm, problems: readonly InputProblem[]): FieldMessage[] {
  return problems.map((p) => explainOne(form, p));
}
