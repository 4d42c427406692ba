// The administrator's organisation pages: the list and the "Add an organisation" form.
import { ORGANISATION_CODE_INPUT_PATTERN } from '#domain';
import { pageTitle } from '../page-title.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';
import { forwardPagination } from './paging.js';

export interface OrganisationForm {
  name: string;
  code: string;
}

export function readOrganisationForm(body: unknown): OrganisationForm {
  return { name: textField(body, 'name').trim(), code: textField(body, 'code').trim() };
}

export function organisationProblems(form: OrganisationForm): FieldMessage[] {
  const problems: FieldMessage[] = [];
  if (form.name === '') problems.push({ field: 'name', text: 'Enter the organisation’s name' });
  else if (form.name.length > 200) problems.push({ field: 'name', text: 'Name must be 200 characters or fewer' });
  if (form.code === '') problems.push({ field: 'code', text: 'Enter a short code, such as MERSEYSIDE' });
  else if (form.code.length > 40) problems.push({ field: 'code', text: 'Code must be 40 characters or fewer' });
  else if (!ORGANISATION_CODE_INPUT_PATTERN.test(form.code))
    problems.push({ field: 'code', text: 'Code must only include letters A to Z, numbers and hyphens' });
  return problems;
}

export const codeInUse = (code: string): FieldMessage => ({
  field: 'code',
  text: `The code ${code.toUpperCase()} is already used by another organisation`,
});

export function organisationFormModel(
  values: OrganisationForm = { name: '', code: '' },
  messages: FieldMessage[] = [],
) {
  return {
    pageTitle: pageTitle('Add an organisation', 'Admin'),
    backLink: { href: '/admin/organisations', text: 'Back to organisations' },
    values,
    errors: messages.length ? formErrors(messages) : NO_ERRORS,
  };
}

export function organisationListModel(
  page: { items: { id: string; name: string; code: string }[]; nextCursor: string | null },
  cursor: string | undefined,
) {
  return {
    pageTitle: pageTitle('Organisations', 'Admin'),
    backLink: { href: '/admin', text: 'Back to admin' },
    rows: page.items.map((o) => [
      { text: o.name },
      { text: o.code },
      {
        html: `<a class="govuk-link" href="/admin/organisations/${encodeURIComponent(o.id)}/sign-in">How its people sign in<span class="govuk-visually-hidden">: ${escapeHtml(o.name)}</span></a>`,
      },
    ]),
    pagination: forwardPagination('/admin/organisations', cursor, page.nextCursor),
  };
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
