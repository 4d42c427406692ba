// The one-time link pages' models: choosing a password (invitation or reset), a link that no longer works, and
// "Forgotten your password?".
import type { LinkState } from '#application';
import { pageTitle } from '../page-title.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';

export type LinkPurpose = 'invitation' | 'password_reset';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const linkPath = (purpose: LinkPurpose, token: string): string =>
  `/${purpose === 'invitation' ? 'invitations' : 'reset-password'}/${token}`;

export function readNewPasswordForm(body: unknown): { password: string; confirm: string } {
  return { password: textField(body, 'newPassword'), confirm: textField(body, 'confirmPassword') };
}

/** What is wrong with the two boxes before the policy is asked (which names its own reason). */
export function newPasswordProblems(form: { password: string; confirm: string }): FieldMessage[] {
  if (form.password === '') return [{ field: 'newPassword', text: 'Enter a new password' }];
  if (form.confirm === '') return [{ field: 'confirmPassword', text: 'Confirm your new password' }];
  if (form.password !== form.confirm)
    return [{ field: 'confirmPassword', text: 'The passwords do not match: enter the same password twice' }];
  return [];
}

export function setPasswordModel(purpose: LinkPurpose, token: string, name: string, messages: FieldMessage[] = []) {
  const heading = purpose === 'invitation' ? 'Choose your password' : 'Reset your password';
  return {
    pageTitle: pageTitle(heading),
    heading,
    name,
    intro:
      purpose === 'invitation'
        ? 'Welcome to the Follow-up Tracker. Choose the password you will sign in with.'
        : 'Choose a new password. Saving it signs you out everywhere else.',
    action: linkPath(purpose, token),
    errors: messages.length > 0 ? formErrors(messages) : NO_ERRORS,
  };
}

/** A link that no longer works says why and how to get a new one. */
export function linkProblemModel(purpose: LinkPurpose, state: Exclude<LinkState, 'valid'>) {
  const heading =
    state === 'expired'
      ? 'This link has expired'
      : state === 'used'
        ? 'This link has already been used'
        : 'This link does not work';
  const why =
    state === 'expired'
      ? `${purpose === 'invitation' ? 'Invitation' : 'Password reset'} links work for a limited time only.`
      : state === 'used'
        ? 'Each link works once. If you chose your password with it, sign in with that password.'
        : 'The link may have been copied wrongly, or replaced by a newer email (only the newest link works).';
  const next =
    purpose === 'invitation'
      ? 'To get a new invitation, ask the administrator who added you to send it again.'
      : 'To get a new link, ask for one on the “Forgotten your password?” page.';
  return {
    pageTitle: pageTitle(heading),
    heading,
    paragraphs: [why, next],
    link:
      purpose === 'invitation'
        ? { href: '/sign-in', text: 'Go to sign in' }
        : { href: '/forgotten-password', text: 'Get a new link' },
  };
}

export function passwordSavedModel() {
  return {
    pageTitle: pageTitle('Your password has been saved'),
    heading: 'Your password has been saved',
    paragraphs: ['You have been signed out everywhere else. Sign in with your email address and your new password.'],
    link: { href: '/sign-in', text: 'Sign in' },
  };
}

export function readForgottenPasswordForm(body: unknown): { email: string } {
  return { email: textField(body, 'email').trim() };
}

export function forgottenPasswordProblems(form: { email: string }): FieldMessage[] {
  if (form.email === '') return [{ field: 'email', text: 'Enter your email address' }];
  if (!EMAIL.test(form.email) || form.email.length > 320)
    return [{ field: 'email', text: 'Enter an email address in the correct format, like name@example.org' }];
  return [];
}

export function forgottenPasswordModel(email = '', messages: FieldMessage[] = []) {
  return {
    pageTitle: pageTitle('Forgotten your password?'),
    values: { email },
    errors: messages.length > 0 ? formErrors(messages) : NO_ERRORS,
  };
}

/** The same answer whether or not the address has an account. */
export function checkEmailModel(email: string, resetTtlMs: number) {
  const minutes = Math.round(resetTtlMs / 60_000);
  const lasts = minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`;
  return {
    pageTitle: pageTitle('Check your email'),
    heading: 'Check your email',
    paragraphs: [
      `If ${email} has an account, we have sent it a link to reset the password. The link works once, for ${lasts}.`,
      'If no email arrives within a few minutes, check your spam folder, or ask for another link.',
    ],
    link: { href: '/sign-in', text: 'Back to sign in' },
  };
}
