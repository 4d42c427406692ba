// Unit tests of the decision question and the amend form: the request each answer makes, and refusals in the decision's
// words.
import { describe, expect, it } from '@jest/globals';
import { inputProblem } from '#domain';
import { explainDecision, readDecisionForm } from './decision.form.js';
import { explainOne, readTransitionForm } from './transition.form.js';
import { TRANSITION_FORMS } from './transition-forms.js';

describe('the decision question', () => {
  it('asks for a decision before anything else', async () => {
    const read = await readDecisionForm({ version: '4', comment: 'x' });
    expect([read.action, read.request, read.problems]).toEqual([
      null,
      null,
      [{ field: 'decision', text: 'Select your decision', anchor: 'decide-decision' }],
    ]);
  });

  it('sends the reason with every answer, and the outcome only when closing', async () => {
    const authorise = await readDecisionForm({
      version: '4',
      decision: 'authorise_closure',
      comment: '',
      outcome: 'superseded',
    });
    expect(authorise.request).toEqual({ action: 'authorise_closure', version: 4 });
    const back = await readDecisionForm({
      version: '4',
      decision: 'return',
      comment: 'Send all divisions',
      outcome: 'superseded',
    });
    expect(back.request).toEqual({ action: 'return', version: 4, comment: 'Send all divisions' });
    const close = await readDecisionForm({
      version: '4',
      decision: 'close',
      comment: 'Gone',
      outcome: 'not_implemented',
    });
    expect(close.request).toEqual({ action: 'close', version: 4, comment: 'Gone', outcome: 'not_implemented' });
    expect(close.values).toMatchObject({ decision: 'close', comment: 'Gone', outcome: 'not_implemented' });
  });

  it("puts the domain's refusals in the decision's words, on the decision form's fields", () => {
    expect(explainDecision('return', [inputProblem('comment', 'required', 'comment is required')])).toEqual([
      { field: 'comment', text: 'Enter a reason for returning the closure', anchor: 'decide-comment' },
    ]);
    expect(
      explainDecision('close', [
        inputProblem('comment', 'required', 'comment is required'),
        inputProblem('outcome', 'required', 'outcome is required'),
      ]),
    ).toEqual([
      { field: 'comment', text: 'Enter a reason for closing without implementation', anchor: 'decide-comment' },
      { field: 'outcome', text: 'Select an outcome', anchor: 'decide-outcome' },
    ]);
  });
});

describe('amending the plan', () => {
  const amend = TRANSITION_FORMS.amend_plan;
  const body = {
    version: '2',
    owner: 'DS Shaw',
    actions: 'Audit',
    'targetDate-day': '30',
    'targetDate-month': '9',
    'targetDate-year': '2027',
    comment: '',
  };

  it('sends the plan as shown, and refuses a box emptied rather than ignoring it', async () => {
    expect((await readTransitionForm('amend_plan', body)).request).toEqual({
      action: 'amend_plan',
      version: 2,
      owner: 'DS Shaw',
      actions: 'Audit',
      targetDate: '2027-09-30',
    });
    const emptied = await readTransitionForm('amend_plan', {
      ...body,
      owner: ' ',
      'targetDate-day': '',
      'targetDate-month': '',
      'targetDate-year': '',
    });
    expect(emptied.request).toBeNull();
    expect(emptied.problems.map((p) => p.text)).toEqual(['Enter the owner', 'Enter the target date']);
  });

  it('says what a refusal means for the plan', () => {
    expect(
      explainOne(
        amend,
        inputProblem(
          'comment',
          'reasonForNewTargetDate',
          'comment is required to give the reason for a new targetDate',
        ),
      ),
    ).toEqual({ field: 'comment', text: 'Enter the reason for the new date', anchor: 'amend_plan-comment' });
    expect(
      explainOne(
        amend,
        inputProblem('owner', 'planMustChange', 'owner, actions or targetDate must differ from the current plan'),
      ).text,
    ).toBe('Change the owner, actions or target date, or leave the plan as it is');
  });
});
