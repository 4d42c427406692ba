// The administrator's user pages: the list, "Add a user" and "Change a user" forms, and the services' refusals in plain
// words.
import { UserRule, type Page, type UserView } from '#application';
import { Role } from '#domain';
import { pageTitle } from '../page-title.js';
import { formErrors, NO_ERRORS, textField, type FieldMessage } from './form-errors.js';
import { isInvalidInput, listField, UUID, versionField } from './form-fields.js';
import { forwardPagination } from './paging.js';
import { forcesText, ROLE_CHOICES, roleName } from './people.js';

export interface Organisation {
  id: string;
  name: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The person is invited to choose their own password: the administrator never sees or sets it. */
export interface NewUserForm {
  name: string;
  email: string;
  role: string;
  organisationIds: string[];
  /** The "All forces" box (value `all` among the forces). */
  allOrganisations: boolean;
}

export interface UserChangeForm {
  name: string;
  role: string;
  organisationIds: string[];
  allOrganisations: boolean;
  active: string;
  version: number | null;
}

const isRole = (role: string): role is Role => ROLE_CHOICES.some((choice) => choice.value === role);
/** The value of the "All forces" box among the Forces checkboxes. */
export const ALL_FORCES = 'all';
const allOrganisationsOf = (body: unknown): boolean => listField(body, 'organisationIds').includes(ALL_FORCES);
const organisationIdsOf = (body: unknown): string[] => [
  ...new Set(
    listField(body, 'organisationIds')
      .filter((id) => UUID.test(id))
      .map((id) => id.toLowerCase()),
  ),
];

export function readNewUserForm(body: unknown): NewUserForm {
  return {
    name: textField(body, 'name').trim(),
    email: textField(body, 'email').trim(),
    role: textField(body, 'role'),
    organisationIds: organisationIdsOf(body),
    allOrganisations: allOrganisationsOf(body),
  };
}

export function readUserChangeForm(body: unknown): UserChangeForm {
  return {
    name: textField(body, 'name').trim(),
    role: textField(body, 'role'),
    organisationIds: organisationIdsOf(body),
    allOrganisations: allOrganisationsOf(body),
    active: textField(body, 'active'),
    version: versionField(body),
  };
}

function nameProblems(name: string): FieldMessage[] {
  if (name === '') return [{ field: 'name', text: 'Enter the person’s full name' }];
  if (name.length > 200) return [{ field: 'name', text: 'Name must be 200 characters or fewer' }];
  return [];
}

const roleProblems = (role: string): FieldMessage[] =>
  isRole(role) ? [] : [{ field: 'role', text: 'Select a role', anchor: 'role' }];

/** Forces the form did not offer (a tampered or deleted one) are refused here rather than by the service. */
function forceProblems(organisationIds: readonly string[], organisations: readonly Organisation[]): FieldMessage[] {
  return organisationIds.every((id) => organisations.some((o) => o.id === id))
    ? []
    : [{ field: 'organisationIds', text: 'Choose forces from the list', anchor: 'organisationIds' }];
}

export function newUserProblems(form: NewUserForm, organisations: readonly Organisation[]): FieldMessage[] {
  return [
    ...nameProblems(form.name),
    ...(form.email === ''
      ? [{ field: 'email', text: 'Enter an email address' }]
      : !EMAIL.test(form.email) || form.email.length > 320
        ? [{ field: 'email', text: 'Enter an email address in the correct format, like name@example.org' }]
        : []),
    ...roleProblems(form.role),
    ...forceProblems(form.organisationIds, organisations),
  ];
}

export function userChangeProblems(form: UserChangeForm, organisations: readonly Organisation[]): FieldMessage[] {
  return [
    ...nameProblems(form.name),
    ...roleProblems(form.role),
    ...forceProblems(form.organisationIds, organisations),
    ...(form.active === 'yes' || form.active === 'no'
      ? []
      : [{ field: 'active', text: 'Select whether the person can sign in', anchor: 'active' }]),
    ...(form.version === null
      ? [{ field: 'name', text: 'The form was not complete: reload the page and try again' }]
      : []),
  ];
}

const forcesMessage = (text: string): FieldMessage => ({ field: 'organisationIds', text, anchor: 'organisationIds' });
const CHOOSE_FROM_LIST = forcesMessage('Choose forces from the list');
const MANAGER_FORCES = forcesMessage('Choose at least one force for a manager, or choose All forces');
const ENTER_NAME: FieldMessage = { field: 'name', text: 'Enter the person’s full name' };

/** The users service's rules in the page's words, each at the form field it is about. */
const RULE_WORDS: Record<UserRule, FieldMessage> = {
  [UserRule.NameNotEmpty]: ENTER_NAME,
  [UserRule.OrganisationExists]: CHOOSE_FROM_LIST,
  [UserRule.AllOrganisationsForManager]: forcesMessage(
    'Only a manager can be given All forces: choose the person’s forces',
  ),
  [UserRule.LiaisonOrganisationRequired]: forcesMessage('Choose at least one force for a force liaison'),
  [UserRule.AllOrNamedOrganisations]: forcesMessage('Choose All forces or particular forces, not both'),
  [UserRule.ManagerOrganisationRequired]: MANAGER_FORCES,
  [UserRule.NoOrganisationsForRole]: forcesMessage('Administrators and inspectors see every force: do not choose any'),
};

/** A problem with a rule the page has no words for, by its field (`organisationId`: a force since removed). */
function fieldWords(field: string): FieldMessage {
  if (field === 'organisationIds' || field === 'organisationId') return CHOOSE_FROM_LIST;
  if (field === 'name') return ENTER_NAME;
  return { field: 'name', text: 'Check the details and try again' };
}

/**
 * The services decide who needs forces (UsersService: a liaison at least one, an administrator or inspector
 * none); their refusals are put in words here, by rule. Null for an error that is not about the form.
 */
export function userRefusal(error: unknown): FieldMessage[] | null {
  if (!isInvalidInput(error)) return null;
  return error.problems.map((problem) =>
    Object.hasOwn(RULE_WORDS, problem.rule) ? RULE_WORDS[problem.rule as UserRule] : fieldWords(problem.field),
  );
}

export const emailInUse: FieldMessage = { field: 'email', text: 'Someone already uses this email address' };

function roleItems(chosen: string) {
  return ROLE_CHOICES.map((choice) => ({
    value: choice.value,
    text: choice.text,
    hint: { text: choice.hint },
    checked: choice.value === chosen,
  }));
}

/**
 * Each force, then "or" and the exclusive "All forces" box (managers only; chosen explicitly, never implied by none
 * ticked).
 */
function forceItems(organisations: readonly Organisation[], chosen: readonly string[], allChosen: boolean) {
  return [
    ...organisations.map((o) => ({ value: o.id, text: o.name, checked: chosen.includes(o.id) })),
    { divider: 'or' },
    {
      value: ALL_FORCES,
      text: 'All forces',
      hint: { text: 'Managers only: sees every force, including forces added later.' },
      behaviour: 'exclusive',
      checked: allChosen,
    },
  ];
}

export function newUserModel(
  organisations: readonly Organisation[],
  form?: NewUserForm,
  messages: FieldMessage[] = [],
) {
  return {
    pageTitle: pageTitle('Add a user', 'Admin'),
    backLink: { href: '/admin/users', text: 'Back to users' },
    values: { name: form?.name ?? '', email: form?.email ?? '' },
    roleItems: roleItems(form?.role ?? ''),
    forceItems: forceItems(organisations, form?.organisationIds ?? [], form?.allOrganisations ?? false),
    errors: messages.length ? formErrors(messages) : NO_ERRORS,
  };
}

export interface UserChangeOptions {
  form?: UserChangeForm;
  messages?: FieldMessage[];
  /** Shown above the form: a stale version, or a change the rules refused (the last administrator). */
  notice?: string;
}

export function userChangeModel(
  user: UserView,
  organisations: readonly Organisation[],
  options: UserChangeOptions = {},
) {
  const form = options.form;
  const active = form?.active ?? (user.active === false ? 'no' : 'yes');
  return {
    pageTitle: pageTitle(`Change ${user.name}`, 'Admin'),
    backLink: { href: '/admin/users', text: 'Back to users' },
    userId: user.id,
    email: user.email,
    version: user.version,
    values: { name: form?.name ?? user.name },
    roleItems: roleItems(form?.role ?? user.role),
    forceItems: forceItems(
      organisations,
      form?.organisationIds ?? user.organisationIds,
      form ? form.allOrganisations : user.role === Role.Manager && user.allOrganisations,
    ),
    activeItems: [
      { value: 'yes', text: 'Active', hint: { text: 'Can sign in and is sent reminders.' }, checked: active === 'yes' },
      {
        value: 'no',
        text: 'Deactivated',
        hint: { text: 'Cannot sign in; their sessions end and no emails are sent to them.' },
        checked: active === 'no',
      },
    ],
    notice: options.notice ?? null,
    errors: options.messages?.length ? formErrors(options.messages) : NO_ERRORS,
  };
}

export function userListModel(
  page: Page<UserView>,
  organisations: readonly Organisation[],
  cursor: string | undefined,
) {
  const names = new Map(organisations.map((o) => [o.id, o.name]));
  return {
    pageTitle: pageTitle('Users', 'Admin'),
    backLink: { href: '/admin', text: 'Back to admin' },
    rows: page.items.map((u) => ({
      href: `/admin/users/${u.id}`,
      name: u.name,
      email: u.email,
      role: roleName(u.role),
      forces: forcesText(u.organisationIds, names, u.allOrganisations),
      active: u.active !== false,
    })),
    pagination: forwardPagination('/admin/users', cursor, page.nextCursor),
  };
}
