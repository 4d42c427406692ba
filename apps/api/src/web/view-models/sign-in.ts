// The sign-in page's model: what was typed (never the password) and what went wrong, in plain words.
import { DomainError, DomainErrorCode } from '#domain';
import { formErrors, NO_ERRORS, textField, type FieldMessage, type FormErrors } from './form-errors.js';
import { pageTitle } from '../page-title.js';

export interface SignInModel {
  pageTitle: string;
  returnTo: string | null;
  values: { email: string };
  errors: FormErrors;
  notice?: string;
}

export interface SignInForm {
  email: string;
  password: string;
}

export function readSignInForm(body: unknown): SignInForm {
  return { email: textField(body, 'email').trim(), password: textField(body, 'password') };
}

/** Empty fields are refused here, before they could count as a failed sign-in. */
export function missingSignInFields(form: SignInForm): FieldMessage[] {
  return [
    ...(form.email === '' ? [{ field: 'email', text: 'Enter your email address' }] : []),
    ...(form.password === '' ? [{ field: 'password', text: 'Enter your password' }] : []),
  ];
}

/** What a refused sign-in says; null for an error that is not about the credentials. */
export function signInRefusal(error: unknown): FieldMessage[] | null {
  if (!(error instanceof DomainError)) return null;
  if (error.code === DomainErrorCode.Unauthenticated)
    return [{ field: 'email', text: 'Enter a correct email address and password' }];
  if (error.code === DomainErrorCode.Forbidden)
    return [
      {
        field: 'email',
        text: 'Your organisation signs in with single sign-on only: use "Sign in with your organisation account"',
      },
    ];
  if (error.code === DomainErrorCode.RateLimited) {
    return [
      {
        field: 'email',
        text: 'There have been too many attempts to sign in with this email address. Wait 15 minutes, then try again',
      },
    ];
  }
  return null;
}

export function signInModel(returnTo: string, email = '', messages: FieldMessage[] = []): SignInModel {
  return {
    pageTitle: pageTitle('Sign in'),
    returnTo: returnTo === '/' ? null : returnTo,
    values: { email },
    errors: messages.length > 0 ? formErrors(messages) : NO_ERRORS,
  };
}
