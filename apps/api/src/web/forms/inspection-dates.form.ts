// The inspection dates form: read the boxes, send only the dates that changed (PATCH), explain a refusal.
import type { InspectionsService, InspectionView } from '#application';
import { DomainError, DomainErrorCode, type Actor, type InputProblem } from '#domain';
import { formStatusOf } from '../../shared/error-status.js';
import {
  datePartsOf,
  londonDay,
  londonStartOfDay,
  parseDateParts,
  readDateParts,
  type DateParts,
} from '../view-models/date-input.js';
import { formErrors, textField, type FieldMessage, type FormErrors } from '../view-models/form-errors.js';
import { DATE_FIELDS, recomputedLines, type DateFieldName } from '../view-models/inspections.js';
import type { Flash } from '../web-session.js';

export interface DatesForm {
  version: number | null;
  values: Record<DateFieldName, DateParts>;
}

export type DatesOutcome =
  | { kind: 'saved'; flash: Flash }
  | {
      kind: 'rejected';
      status: number;
      current: InspectionView;
      values: Record<DateFieldName, DateParts>;
      errors: FormErrors;
      stale: boolean;
    };

export function readDatesForm(body: unknown): DatesForm {
  const version = textField(body, 'version');
  return {
    version: /^\d{1,9}$/.test(version) ? Number(version) : null,
    values: Object.fromEntries(DATE_FIELDS.map((f) => [f.name, readDateParts(body, f.name)])) as Record<
      DateFieldName,
      DateParts
    >,
  };
}

/** About the whole form, not one date: it marks no field, and its link goes to the first box. */
const STALE: FieldMessage = {
  field: '_form',
  anchor: 'publishedAt-day',
  text: 'Someone else changed this inspection while you were editing it. Check the dates below, which are now the current ones, and make your change again',
};

export async function updateDates(
  inspections: InspectionsService,
  actor: Actor,
  before: InspectionView,
  form: DatesForm,
): Promise<DatesOutcome> {
  const rejected = (
    current: InspectionView,
    messages: FieldMessage[],
    status: number,
    stale = false,
  ): DatesOutcome => ({
    kind: 'rejected',
    status,
    current,
    values: stale ? currentValues(current) : form.values,
    errors: formErrors(messages),
    stale,
  });
  if (form.version === null || form.version !== before.version) return rejected(before, [STALE], 409, true);

  const changes: Partial<Record<DateFieldName, Date>> = {};
  const problems: FieldMessage[] = [];
  for (const field of DATE_FIELDS) {
    const parsed = parseDateParts(form.values[field.name], field.name, field.label);
    if (!parsed.ok) problems.push(parsed.error);
    else if (parsed.date !== londonDay(before[field.name])) changes[field.name] = londonStartOfDay(parsed.date);
  }
  if (problems.length > 0) return rejected(before, problems, 400);
  if (Object.keys(changes).length === 0)
    return { kind: 'saved', flash: { heading: 'No dates were changed', lines: [] } };

  try {
    const after = await inspections.update(actor, before.id, { version: form.version, ...changes });
    return { kind: 'saved', flash: { heading: 'Dates changed', lines: recomputedLines(before, after) } };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === DomainErrorCode.StaleVersion)
      return rejected(await inspections.get(actor, before.id), [STALE], 409, true);
    if (error.code === DomainErrorCode.InvalidInput)
      return rejected(before, dateProblems(error.problems), formStatusOf(error.code));
    throw error;
  }
}

function currentValues(current: InspectionView): Record<DateFieldName, DateParts> {
  return Object.fromEntries(DATE_FIELDS.map((f) => [f.name, datePartsOf(current[f.name])])) as Record<
    DateFieldName,
    DateParts
  >;
}

/** Each refusal on the date it is about; the message says it in words. */
function dateProblems(problems: readonly InputProblem[]): FieldMessage[] {
  return problems.map((problem) => {
    const field = DATE_FIELDS.find((f) => f.name === problem.field) ?? DATE_FIELDS[0];
    return {
      field: field.name,
      anchor: `${field.name}-day`,
      text: `${field.label} gives deadlines outside the calendar: choose another date`,
    };
  });
}
