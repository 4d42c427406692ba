// The account page: the person's own details and their notification preference form.
import type { UserView } from '#application';
import { ReminderDelivery } from '#domain';
import { pageTitle } from '../page-title.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage, type FormErrors } from './form-errors.js';
import { versionField } from './form-fields.js';
import { forcesText, roleName } from './people.js';

const DELIVERIES = [
  { value: ReminderDelivery.Immediate, text: 'Immediately', hint: 'An email for each reminder as it falls due.' },
  { value: ReminderDelivery.DailyDigest, text: 'In a daily digest', hint: 'One email a day listing every reminder.' },
] as const;

export interface PreferenceForm {
  reminderDelivery: ReminderDelivery | null;
  version: number | null;
}

export function readPreferenceForm(body: unknown): PreferenceForm {
  const chosen = textField(body, 'reminderDelivery');
  return { reminderDelivery: DELIVERIES.find((d) => d.value === chosen)?.value ?? null, version: versionField(body) };
}

export function preferenceProblems(form: PreferenceForm): FieldMessage[] {
  if (form.reminderDelivery === null)
    return [{ field: 'reminderDelivery', text: 'Select when you want to get reminders' }];
  if (form.version === null)
    return [{ field: 'reminderDelivery', text: 'The form was not complete: reload the page and try again' }];
  return [];
}

export interface AccountPageOptions {
  /** What the person chose, when the form is shown again after a problem. */
  chosen?: string | null;
  messages?: FieldMessage[];
  /** A stale form: the current state is shown with this message. */
  notice?: string;
}

export function accountModel(
  user: UserView,
  organisationNames: ReadonlyMap<string, string>,
  options: AccountPageOptions = {},
) {
  const chosen = options.chosen ?? user.reminderDelivery;
  const errors: FormErrors = options.messages?.length ? formErrors(options.messages) : NO_ERRORS;
  return {
    pageTitle: pageTitle('Your account'),
    details: [
      { key: { text: 'Name' }, value: { text: user.name } },
      { key: { text: 'Email address' }, value: { text: user.email } },
      { key: { text: 'Role' }, value: { text: roleName(user.role) } },
      {
        key: { text: 'Forces' },
        value: { text: forcesText(user.organisationIds, organisationNames, user.allOrganisations) },
      },
    ],
    version: user.version,
    deliveryItems: DELIVERIES.map((d) => ({
      value: d.value,
      text: d.text,
      hint: { text: d.hint },
      checked: d.value === chosen,
    })),
    errors,
    notice: options.notice ?? null,
  };
}
