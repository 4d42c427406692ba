// The admin page for how an organisation's people sign in: with a password too, or only with single sign-on.
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';
import { pageTitle } from '../page-title.js';

export interface OrganisationSignIn {
  id: string;
  name: string;
  version: number;
  ssoOnly: boolean;
}

export function readSignInSettingForm(body: unknown): { ssoOnly: boolean | null; version: number | null } {
  const choice = textField(body, 'ssoOnly');
  const version = textField(body, 'version');
  return {
    ssoOnly: choice === 'yes' ? true : choice === 'no' ? false : null,
    version: /^\d{1,9}$/.test(version) ? Number(version) : null,
  };
}

export const CHOOSE: FieldMessage = { field: 'ssoOnly', text: 'Choose how the organisation’s people may sign in' };

export function signInSettingModel(
  organisation: OrganisationSignIn,
  options: { messages?: FieldMessage[]; conflict?: string; singleSignOnConfigured: boolean },
) {
  const hint = options.singleSignOnConfigured
    ? undefined
    : 'Single sign-on is not set up for this service yet (OIDC_ISSUER): people set to it could not sign in until it is.';
  return {
    pageTitle: pageTitle(`How ${organisation.name} signs in`, 'Admin'),
    backLink: { href: '/admin/organisations', text: 'Back to organisations' },
    organisation,
    conflict: options.conflict,
    items: [
      {
        value: 'no',
        text: 'With a password or their organisation account',
        checked: !organisation.ssoOnly,
        hint: { text: 'Administrators may invite people to choose a password; people may also use single sign-on.' },
      },
      {
        value: 'yes',
        text: 'Only with their organisation account (single sign-on)',
        checked: organisation.ssoOnly,
        hint: {
          text:
            hint ??
            'No password sign-in, password reset or invitation for its people: they are added when they first sign in with their organisation account.',
        },
      },
    ],
    errors: options.messages?.length ? formErrors(options.messages) : NO_ERRORS,
  };
}
