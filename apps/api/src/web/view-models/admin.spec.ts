// Unit tests of the form fields, the account page model and the admin pages' models.
import { describe, expect, it } from '@jest/globals';
import { UserRule } from '#application';
import { DomainError, DomainErrorCode, inputProblem, invalidInput } from '#domain';
import { accountModel, preferenceProblems, readPreferenceForm } from './account.js';
import { organisationProblems, readOrganisationForm } from './admin-organisations.js';
import { periodFromText, periodText, policyProblems } from './admin-policies.js';
import {
  newUserProblems,
  readNewUserForm,
  readUserChangeForm,
  userChangeModel,
  userChangeProblems,
  userRefusal,
} from './admin-users.js';
import { listField, versionField } from './form-fields.js';
import { forwardPagination } from './paging.js';
import { forcesText } from './people.js';

const MERSEYSIDE = { id: '0b6f2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', name: 'Merseyside Police' };
const USER = {
  id: '1b6f2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  email: 'alex@merseyside.example',
  name: 'Alex',
  role: 'liaison',
  organisationIds: [MERSEYSIDE.id],
  allOrganisations: false,
  reminderDelivery: 'immediate',
  active: true,
  version: 3,
  createdAt: '',
  updatedAt: '',
};

describe('form fields', () => {
  it('reads checkbox lists and versions, ignoring anything that is not text', () => {
    expect(listField({ a: ['x', 3, { y: 1 }, ''] }, 'a')).toEqual(['x']);
    expect(listField({ a: 'x' }, 'a')).toEqual(['x']);
    expect(listField(null, 'a')).toEqual([]);
    expect(versionField({ version: '12' })).toBe(12);
    expect(
      [{ version: '-1' }, { version: '1.5' }, { version: 2 }, { version: '9999999999' }, {}].map(versionField),
    ).toEqual([null, null, null, null, null]);
  });

  it('pages forward with a way back to the first page', () => {
    expect(forwardPagination('/admin/users', undefined, null)).toBeNull();
    expect(forwardPagination('/admin/users', undefined, 'c2')).toEqual({
      next: { href: '/admin/users?after=c2', text: 'Next page' },
    });
    expect(forwardPagination('/admin/users', 'c1', null)).toEqual({
      previous: { href: '/admin/users', text: 'First page' },
    });
  });
});

describe('account page model', () => {
  it('reads the preference form and names what is wrong', () => {
    expect(readPreferenceForm({ reminderDelivery: 'daily_digest', version: '3' })).toEqual({
      reminderDelivery: 'daily_digest',
      version: 3,
    });
    expect(preferenceProblems(readPreferenceForm({ reminderDelivery: 'weekly', version: '3' }))).toEqual([
      { field: 'reminderDelivery', text: 'Select when you want to get reminders' },
    ]);
    expect(preferenceProblems(readPreferenceForm({ reminderDelivery: 'immediate' }))[0].text).toContain(
      'reload the page',
    );
  });

  it('shows the person’s details and checks their current choice', () => {
    const model = accountModel(USER, new Map([[MERSEYSIDE.id, MERSEYSIDE.name]]));
    expect(model.details.map((row) => row.value.text)).toEqual([
      'Alex',
      'alex@merseyside.example',
      'Force liaison',
      'Merseyside Police',
    ]);
    expect(model.deliveryItems.map((item) => [item.text, item.checked])).toEqual([
      ['Immediately', true],
      ['In a daily digest', false],
    ]);
    expect(accountModel(USER, new Map(), { chosen: 'daily_digest' }).deliveryItems[1].checked).toBe(true);
    expect(forcesText([], new Map(), true)).toBe('All forces');
    // No forces is not every force.
    expect(forcesText([], new Map(), false)).toBe('No forces');
  });
});

describe('admin page models', () => {
  it('checks the organisation form', () => {
    expect(organisationProblems(readOrganisationForm({ name: '  ', code: ['X'] })).map((p) => p.field)).toEqual([
      'name',
      'code',
    ]);
    expect(organisationProblems(readOrganisationForm({ name: 'Cheshire Constabulary', code: 'cheshire' }))).toEqual([]);
  });

  it('checks a new user, refusing forces the form did not offer', () => {
    const form = readNewUserForm({
      name: 'A',
      email: 'a@b.org',
      role: 'liaison',
      organisationIds: [MERSEYSIDE.id.toUpperCase(), 'junk'],
    });
    expect(form.organisationIds).toEqual([MERSEYSIDE.id]);
    expect(newUserProblems(form, [MERSEYSIDE])).toEqual([]);
    expect(
      newUserProblems({ ...form, organisationIds: ['2b6f2a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'] }, [MERSEYSIDE]),
    ).toEqual([{ field: 'organisationIds', text: 'Choose forces from the list', anchor: 'organisationIds' }]);
    expect(newUserProblems(readNewUserForm({}), []).map((p) => p.text)).toEqual([
      'Enter the person’s full name',
      'Enter an email address',
      'Select a role',
    ]);
  });

  it('puts the users service’s refusals in words, and leaves other errors alone', () => {
    expect(
      userRefusal(
        invalidInput(
          inputProblem(
            'organisationIds',
            UserRule.LiaisonOrganisationRequired,
            'organisationIds must name at least one organisation for a liaison',
          ),
        ),
      ),
    ).toEqual([
      { field: 'organisationIds', text: 'Choose at least one force for a force liaison', anchor: 'organisationIds' },
    ]);
    expect(
      userRefusal(
        invalidInput(
          inputProblem(
            'organisationIds',
            UserRule.NoOrganisationsForRole,
            'organisationIds must be empty for an admin: they see every organisation',
          ),
        ),
      )?.[0].text,
    ).toBe('Administrators and inspectors see every force: do not choose any');
    expect(
      userRefusal(
        invalidInput(
          inputProblem(
            'organisationIds',
            UserRule.ManagerOrganisationRequired,
            'organisationIds must name at least one organisation for a manager, or allOrganisations must be true for every organisation',
          ),
        ),
      )?.[0].text,
    ).toBe('Choose at least one force for a manager, or choose All forces');
    // A liaison or inspector given All forces is told whose choice it is, not a manager's rule.
    expect(
      userRefusal(
        invalidInput(
          inputProblem(
            'allOrganisations',
            UserRule.AllOrganisationsForManager,
            'allOrganisations is only for a manager: every other role names its organisations',
          ),
        ),
      ),
    ).toEqual([
      {
        field: 'organisationIds',
        text: 'Only a manager can be given All forces: choose the person’s forces',
        anchor: 'organisationIds',
      },
    ]);
    expect(userRefusal(new DomainError(DomainErrorCode.Conflict, 'email is already in use'))).toBeNull();
    expect(userRefusal(new Error('boom'))).toBeNull();
  });

  it('shows a person’s current state in the change form, or what was posted after a problem', () => {
    const model = userChangeModel(USER, [MERSEYSIDE]);
    expect(model.pageTitle).toBe('Change Alex – Admin – Follow-up Tracker');
    expect(model.roleItems.find((item) => item.checked)?.value).toBe('liaison');
    expect(model.forceItems).toEqual([
      { value: MERSEYSIDE.id, text: 'Merseyside Police', checked: true },
      { divider: 'or' },
      {
        value: 'all',
        text: 'All forces',
        hint: { text: 'Managers only: sees every force, including forces added later.' },
        behaviour: 'exclusive',
        checked: false,
      },
    ]);
    // "All forces" is read from its own box, never from none ticked.
    expect(readUserChangeForm({ organisationIds: 'all' })).toMatchObject({
      organisationIds: [],
      allOrganisations: true,
    });
    expect(readUserChangeForm({})).toMatchObject({ organisationIds: [], allOrganisations: false });
    expect(
      userChangeModel({ ...USER, role: 'manager', organisationIds: [], allOrganisations: true }, [
        MERSEYSIDE,
      ]).forceItems.at(-1),
    ).toMatchObject({ value: 'all', checked: true });
    expect(model.activeItems.find((item) => item.checked)?.value).toBe('yes');
    const posted = readUserChangeForm({ name: 'Alex B', role: 'manager', active: 'no', version: '3' });
    expect(userChangeProblems(posted, [MERSEYSIDE])).toEqual([]);
    expect(userChangeModel(USER, [MERSEYSIDE], { form: posted }).activeItems.find((item) => item.checked)?.value).toBe(
      'no',
    );
    expect(
      userChangeProblems(readUserChangeForm({ name: 'A', role: 'manager', active: 'maybe' }), []).map((p) => p.field),
    ).toEqual(['active', 'name']);
  });

  it('reads periods as people write them and shows them back in words', () => {
    expect(['6 weeks', '1 month', '42 Days', 'p6w', 'P1Y2M', '12 months'].map(periodFromText)).toEqual([
      'P6W',
      'P1M',
      'P42D',
      'P6W',
      'P1Y2M',
      'P12M',
    ]);
    expect(['', 'soon', '0 weeks', 'P0D', 'PT5M', '-6 months', '6 fortnights'].map(periodFromText)).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(['P6W', 'P1M', 'P1Y2M', 'P42D'].map(periodText)).toEqual([
      '6 weeks',
      '1 month',
      '1 year, 2 months',
      '42 days',
    ]);
    expect(policyProblems({ programme: 'PEEL', actionPlanAfter: '6 weeks', revisitAfter: 'a while' })).toEqual([
      {
        field: 'revisitAfter',
        text: 'Enter the revisit period as a number of days, weeks, months or years, like 6 weeks',
      },
    ]);
  });
});
