// "Your account" security pages: changing the password, and the person's sessions with "sign out of all other
// sessions".
import { pageTitle } from '../page-title.js';
import type { SessionEntry } from '../session-registry.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';
import { londonDateTime } from './format.js';

export interface ChangePasswordForm {
  current: string;
  password: string;
  confirm: string;
}

export function readChangePasswordForm(body: unknown): ChangePasswordForm {
  return {
    current: textField(body, 'currentPassword'),
    password: textField(body, 'newPassword'),
    confirm: textField(body, 'confirmPassword'),
  };
}

export function changePasswordProblems(form: ChangePasswordForm): FieldMessage[] {
  if (form.current === '') return [{ field: 'currentPassword', text: 'Enter your current password' }];
  if (form.password === '') return [{ field: 'newPassword', text: 'Enter a new password' }];
  if (form.confirm === '') return [{ field: 'confirmPassword', text: 'Confirm your new password' }];
  if (form.password !== form.confirm)
    return [{ field: 'confirmPassword', text: 'The passwords do not match: enter the same password twice' }];
  return [];
}

export function changePasswordModel(messages: FieldMessage[] = []) {
  return {
    pageTitle: pageTitle('Change your password', 'Your account'),
    backLink: { href: '/account', text: 'Back to your account' },
    errors: messages.length > 0 ? formErrors(messages) : NO_ERRORS,
  };
}

export function sessionsModel(sessions: readonly SessionEntry[], currentSid: string) {
  return {
    pageTitle: pageTitle('Where you are signed in', 'Your account'),
    backLink: { href: '/account', text: 'Back to your account' },
    rows: sessions.map((s) => [
      { text: s.sid === currentSid ? `${s.device} (this device)` : s.device },
      { text: s.address },
      { text: londonDateTime(new Date(s.signedInAt)) },
    ]),
    others: sessions.filter((s) => s.sid !== currentSid).length,
  };
}
