// The two-factor pages' models: the security code, setting up an authenticator (QR code and key as text), the recovery
// codes.
import { pageTitle } from '../page-title.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';

export const readCode = (body: unknown): string => textField(body, 'code').trim();

export function securityCodeModel(messages: FieldMessage[] = []) {
  return {
    pageTitle: pageTitle('Enter your security code'),
    errors: messages.length > 0 ? formErrors(messages) : NO_ERRORS,
  };
}

/** The key in groups of four, as people type it into an app. */
export const groupedKey = (secret: string): string => secret.replace(/(.{4})/g, '$1 ').trim();

export function setUpModel(qrDataUrl: string, secret: string, messages: FieldMessage[] = []) {
  return {
    pageTitle: pageTitle('Set up two-factor sign-in'),
    qrDataUrl,
    key: groupedKey(secret),
    errors: messages.length > 0 ? formErrors(messages) : NO_ERRORS,
  };
}

export function recoveryCodesModel(codes: readonly string[], continueTo: string) {
  return { pageTitle: pageTitle('Save your recovery codes'), codes, continueTo };
}

export const WRONG_CODE: FieldMessage = {
  field: 'code',
  text: 'Enter the security code your authenticator app shows now, or an unused recovery code',
};
export const NO_CODE: FieldMessage = { field: 'code', text: 'Enter your security code' };
export const TOO_MANY: FieldMessage = {
  field: 'code',
  text: 'There have been too many attempts to sign in with this email address. Wait 15 minutes, then try again',
};
