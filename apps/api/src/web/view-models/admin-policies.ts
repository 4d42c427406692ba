// The administrator's follow-up policy pages: periods typed as people say them ("6 weeks") and shown the same way.
import { Duration } from 'luxon';
import { periodFromWords } from '#domain';
import { pageTitle } from '../page-title.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';

const ISO_PERIOD = /^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$/;

/**
 * `6 weeks`, `1 month`, `42 days` (or an ISO 8601 period such as `P6W`) as the ISO period the service stores;
 * null when it is neither, or is no time at all.
 */
export function periodFromText(text: string): string | null {
  const trimmed = text.trim();
  if (ISO_PERIOD.test(trimmed.toUpperCase())) return /[1-9]/.test(trimmed) ? trimmed.toUpperCase() : null;
  return periodFromWords(trimmed);
}

/** `P6W` → `6 weeks`; `P1Y2M` → `1 year, 2 months`. */
export function periodText(iso: string): string {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return iso;
  const parts = (['years', 'months', 'weeks', 'days'] as const)
    .filter((unit) => duration.get(unit) > 0)
    .map((unit) => `${duration.get(unit)} ${duration.get(unit) === 1 ? unit.slice(0, -1) : unit}`);
  return parts.length > 0 ? parts.join(', ') : iso;
}

export interface PolicyForm {
  programme: string;
  actionPlanAfter: string;
  revisitAfter: string;
}

export function readPolicyForm(body: unknown): PolicyForm {
  return {
    programme: textField(body, 'programme').trim(),
    actionPlanAfter: textField(body, 'actionPlanAfter').trim(),
    revisitAfter: textField(body, 'revisitAfter').trim(),
  };
}

export function policyProblems(form: PolicyForm): FieldMessage[] {
  const period = (field: 'actionPlanAfter' | 'revisitAfter', what: string): FieldMessage[] => {
    if (form[field] === '') return [{ field, text: `Enter how long after publication the ${what} is due` }];
    return periodFromText(form[field])
      ? []
      : [{ field, text: `Enter the ${what} period as a number of days, weeks, months or years, like 6 weeks` }];
  };
  return [
    ...(form.programme === ''
      ? [{ field: 'programme', text: 'Enter the inspection programme, such as PEEL' }]
      : form.programme.length > 200
        ? [{ field: 'programme', text: 'Programme must be 200 characters or fewer' }]
        : []),
    ...period('actionPlanAfter', 'action plan'),
    ...period('revisitAfter', 'revisit'),
  ];
}

export const policyAddedFlash = (programme: string, actionPlanAfter: string, revisitAfter: string) => ({
  heading: `${programme} now has its own follow-up policy`,
  lines: [`Action plan due after ${periodText(actionPlanAfter)}, revisit due after ${periodText(revisitAfter)}.`],
});

export const programmeHasPolicy = (programme: string): FieldMessage => ({
  field: 'programme',
  text: `${programme} already has a follow-up policy`,
});

export function policyFormModel(
  form: PolicyForm = { programme: '', actionPlanAfter: '', revisitAfter: '' },
  messages: FieldMessage[] = [],
) {
  return {
    pageTitle: pageTitle('Add a follow-up policy', 'Admin'),
    backLink: { href: '/admin/policies', text: 'Back to follow-up policies' },
    values: form,
    errors: messages.length ? formErrors(messages) : NO_ERRORS,
  };
}

interface PolicyList {
  default: { actionPlanAfter: string; revisitAfter: string };
  items: { id: string; programme: string; actionPlanAfter: string; revisitAfter: string }[];
}

export function policyListModel(policies: PolicyList) {
  return {
    pageTitle: pageTitle('Follow-up policies', 'Admin'),
    backLink: { href: '/admin', text: 'Back to admin' },
    defaultPolicy: {
      actionPlan: periodText(policies.default.actionPlanAfter),
      revisit: periodText(policies.default.revisitAfter),
    },
    rows: policies.items.map((p) => [
      { text: p.programme },
      { text: periodText(p.actionPlanAfter) },
      { text: periodText(p.revisitAfter) },
    ]),
  };
}
