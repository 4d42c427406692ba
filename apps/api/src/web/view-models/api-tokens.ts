// Personal API tokens on the pages: the list (no ids shown, London dates), the form to make one, and the
// administrator's allowed roles.
import type { ApiTokenScope, ApiTokenSummary } from '#application';
import { ALL_ROLES, type Role } from '#domain';
import { pageTitle } from '../page-title.js';
import { isEmptyDate, parseDateParts, readDateParts, EMPTY_DATE, type DateParts } from './date-input.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';
import { londonDate, londonDateTime } from './format.js';

const SCOPE_TEXT: Record<ApiTokenScope, string> = { 'read-only': 'Read only', 'read-write': 'Read and write' };
const ROLE_TEXT: Record<Role, string> = {
  admin: 'Administrators',
  manager: 'Managers',
  inspector: 'Inspectors',
  liaison: 'Force liaison staff',
};

/**
 * The tokens as partials/api-token-table.njk shows them; `revokeAction(id)` is where each row's Revoke button posts.
 */
export function tokenRows(tokens: readonly ApiTokenSummary[], revokeAction: (id: string) => string, now: Date) {
  const lastDay = (at: Date) => londonDate(new Date(at.getTime() - 1));
  return tokens.map((t) => ({
    name: t.name,
    scopeText: SCOPE_TEXT[t.scope],
    made: londonDate(t.createdAt),
    lastUsed: t.lastUsedAt ? londonDateTime(t.lastUsedAt) : 'Not used yet',
    expires: t.expiresAt
      ? t.expiresAt <= now
        ? `Expired (end of ${lastDay(t.expiresAt)})`
        : `End of ${lastDay(t.expiresAt)}`
      : 'Does not expire',
    revokeAction: revokeAction(t.id),
  }));
}

export interface MakeTokenForm {
  name: string;
  scope: string;
  expires: DateParts;
}

export const EMPTY_TOKEN_FORM: MakeTokenForm = { name: '', scope: '', expires: EMPTY_DATE };

export function readMakeTokenForm(body: unknown): MakeTokenForm {
  return {
    name: textField(body, 'name').trim(),
    scope: textField(body, 'scope'),
    expires: readDateParts(body, 'expiresOn'),
  };
}

/** The form's problems, or the API's request when there are none. */
export function makeTokenRequest(form: MakeTokenForm): {
  problems: FieldMessage[];
  request?: { name: string; scope: ApiTokenScope; expiresOn: string | null };
} {
  const problems: FieldMessage[] = [];
  if (form.name === '')
    problems.push({ field: 'name', text: 'Enter a name for the token, such as the system that will use it' });
  if (form.name.length > 100) problems.push({ field: 'name', text: 'Name must be 100 characters or fewer' });
  if (form.scope !== 'read-only' && form.scope !== 'read-write')
    problems.push({ field: 'scope', text: 'Choose what the token may do' });
  let expiresOn: string | null = null;
  if (!isEmptyDate(form.expires)) {
    const parsed = parseDateParts(form.expires, 'expiresOn', 'Expiry date');
    if (parsed.ok) expiresOn = parsed.date;
    else problems.push(parsed.error);
  }
  return problems.length > 0
    ? { problems }
    : { problems, request: { name: form.name, scope: form.scope as ApiTokenScope, expiresOn } };
}

export function accountTokensModel(options: {
  allowed: boolean;
  tokens: readonly ApiTokenSummary[];
  now: Date;
  form?: MakeTokenForm;
  messages?: FieldMessage[];
}) {
  const form = options.form ?? EMPTY_TOKEN_FORM;
  return {
    pageTitle: pageTitle('API tokens', 'Your account'),
    backLink: { href: '/account', text: 'Back to your account' },
    allowed: options.allowed,
    tokens: tokenRows(options.tokens, (id) => `/account/api-tokens/${id}/revoke`, options.now),
    values: form,
    scopeItems: [
      {
        value: 'read-only',
        text: 'Read only',
        hint: { text: 'It can read lists and records, and download CSV files. Anything that changes data is refused.' },
        checked: form.scope === 'read-only',
      },
      {
        value: 'read-write',
        text: 'Read and write',
        hint: { text: 'It can do everything you can do through the API.' },
        checked: form.scope === 'read-write',
      },
    ],
    errors: options.messages && options.messages.length > 0 ? formErrors(options.messages) : NO_ERRORS,
  };
}

export function tokenMadeModel(token: string, name: string, scope: ApiTokenScope, expiresAt: Date | null) {
  return {
    pageTitle: pageTitle('Your new API token', 'Your account'),
    token,
    name,
    scopeText: SCOPE_TEXT[scope],
    expiresText: expiresAt
      ? `It works until the end of ${londonDate(new Date(expiresAt.getTime() - 1))}.`
      : 'It does not expire: revoke it when it is no longer needed.',
  };
}

export function tokenSettingsModel(allowedRoles: readonly Role[], version: number, notice?: string) {
  return {
    pageTitle: pageTitle('API tokens', 'Admin'),
    backLink: { href: '/admin', text: 'Back to admin' },
    version,
    notice,
    roleItems: ALL_ROLES.map((role) => ({ value: role, text: ROLE_TEXT[role], checked: allowedRoles.includes(role) })),
    errors: NO_ERRORS,
  };
}

/** The allowed roles ticked on the form (anything else posted is ignored). */
export function readAllowedRoles(body: unknown): Role[] {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).allowedRoles : undefined;
  const ticked = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return ALL_ROLES.filter((role) => ticked.includes(role));
}
