// Unit tests of the workflow forms: reading the boxes into a TransitionRequest, and messages in words.
import { describe, expect, it } from '@jest/globals';
import { inputProblem, type InputProblem } from '#domain';
import { explainOne, readTransitionForm } from './transition.form.js';
import { TRANSITION_FORMS } from './transition-forms.js';

const plan = TRANSITION_FORMS.submit_plan;

describe('reading a workflow form', () => {
  it('builds the API request from the boxes, with the date as a calendar date', async () => {
    const read = await readTransitionForm('submit_plan', {
      version: '3',
      response: 'agreed',
      owner: '  Head of Public Protection ',
      actions: 'Audit\nRecruit',
      'targetDate-day': '31',
      'targetDate-month': '3',
      'targetDate-year': '2027',
      comment: '',
    });
    expect(read.problems).toEqual([]);
    expect(read.version).toBe(3);
    expect(read.request).toEqual({
      action: 'submit_plan',
      version: 3,
      response: 'agreed',
      owner: 'Head of Public Protection',
      actions: 'Audit\nRecruit',
      targetDate: '2027-03-31',
    });
  });

  it('folds the three evidence boxes into one evidence item and checks the link as the API does', async () => {
    const ok = await readTransitionForm('propose_closure', {
      version: '1',
      evidenceTitle: 'Audit',
      evidenceUrl: 'https://intranet.example/a',
    });
    expect(ok.request?.evidence).toEqual([{ title: 'Audit', url: 'https://intranet.example/a' }]);
    const bad = await readTransitionForm('propose_closure', {
      version: '1',
      evidenceTitle: 'Audit',
      evidenceUrl: 'javascript:alert(1)',
    });
    expect(bad.problems).toEqual([
      {
        field: 'evidenceUrl',
        text: 'Enter the evidence link as a full web address, like https://intranet.example/audit',
        anchor: 'propose_closure-evidenceUrl',
      },
    ]);
  });

  it('names a date that does not exist, and keeps what was typed', async () => {
    const read = await readTransitionForm('submit_plan', {
      version: '1',
      owner: 'x',
      'targetDate-day': '30',
      'targetDate-month': '2',
      'targetDate-year': '2027',
    });
    expect(read.request).toBeNull();
    // Every problem at once, in the order of the form's fields; the optional comment is not flagged.
    expect(read.problems).toEqual([
      {
        field: 'response',
        text: 'Select whether the force agrees with the recommendation',
        anchor: 'submit_plan-response',
      },
      { field: 'actions', text: 'Enter the actions', anchor: 'submit_plan-actions' },
      { field: 'targetDate', text: 'Target date must be a real date', anchor: 'submit_plan-targetDate-day' },
    ]);
    expect(read.values.owner).toBe('x');
    expect(read.values.targetDate).toEqual({ day: '30', month: '2', year: '2027' });
  });

  it('lists every missing field of an empty form at once, never an optional one', async () => {
    const read = await readTransitionForm('submit_plan', { version: '1' });
    expect(read.request).toBeNull();
    expect(read.problems.map((p) => p.text)).toEqual([
      'Select whether the force agrees with the recommendation',
      'Enter the owner',
      'Enter the actions',
      'Enter the target date',
    ]);
    const closure = await readTransitionForm('propose_closure', { version: '1' });
    expect(closure.problems.map((p) => p.field)).toEqual(['evidenceTitle']);
    const progress = await readTransitionForm('update_progress', {
      version: '1',
      'targetDate-day': '31',
      'targetDate-month': '13',
      'targetDate-year': '2027',
    });
    expect(progress.problems.map((p) => p.text)).toEqual(['Select a RAG status', 'Target date must be a real date']);
  });

  it('asks for a reason in GOV.UK words when a decision needs one', async () => {
    expect((await readTransitionForm('return', { version: '1' })).problems.map((p) => p.text)).toEqual([
      'Enter a reason for returning the closure',
    ]);
    expect((await readTransitionForm('reopen', { version: '1' })).problems.map((p) => p.text)).toEqual([
      'Enter a reason for reopening the recommendation',
    ]);
    expect((await readTransitionForm('close', { version: '1' })).problems.map((p) => p.text)).toEqual([
      'Select an outcome',
      'Enter a reason for closing without implementation',
    ]);
    expect((await readTransitionForm('authorise_closure', { version: '1' })).problems).toEqual([]);
  });

  it('treats anything but text as nothing, and a missing version as unknown', async () => {
    const read = await readTransitionForm('reopen', { comment: ['a', 'b'], version: ['1'] });
    expect([read.version, read.values.comment]).toEqual([null, '']);
  });

  it('refuses a response the form does not offer, as the API does', async () => {
    const read = await readTransitionForm('submit_plan', { version: '1', response: 'maybe' });
    expect(read.problems.map((p) => p.text)).toEqual([
      'Select whether the force agrees with the recommendation',
      'Enter the owner',
      'Enter the actions',
      'Enter the target date',
    ]);
  });

  it('lists the comment a partial agreement needs beside a bad date', async () => {
    const read = await readTransitionForm('submit_plan', {
      version: '1',
      response: 'partly_agreed',
      owner: 'x',
      actions: 'y',
      'targetDate-day': '30',
      'targetDate-month': '2',
      'targetDate-year': '2027',
    });
    expect(read.problems.map((p) => p.text)).toEqual([
      'Target date must be a real date',
      'Enter a comment saying why the force does not fully agree',
    ]);
  });
});

describe('problems in words, by field and rule', () => {
  const tooLong: InputProblem = {
    ...inputProblem('owner', 'maxLength', 'owner must be shorter than or equal to 200 characters'),
    args: [200],
  };
  it.each([
    [inputProblem('owner', 'required', 'owner is required'), 'owner', 'Enter the owner', 'submit_plan-owner'],
    [
      inputProblem('targetDate', 'required', 'targetDate is required'),
      'targetDate',
      'Enter the target date',
      'submit_plan-targetDate-day',
    ],
    [
      inputProblem('comment', 'requiredUnlessAgreed', 'comment is required unless the response is agreed'),
      'comment',
      'Enter a comment saying why the force does not fully agree',
      'submit_plan-comment',
    ],
    [tooLong, 'owner', 'Owner must be 200 characters or fewer', 'submit_plan-owner'],
    [
      inputProblem('response', 'isIn', 'response must be one of: agreed, partly_agreed, not_agreed'),
      'response',
      'Select whether the force agrees with the recommendation',
      'submit_plan-response',
    ],
  ])('$message', (problem, field, text, anchor) => {
    expect(explainOne(plan, problem)).toEqual({ field, text, anchor });
  });

  it("reads a maximum length from the DTO's own declaration", async () => {
    const read = await readTransitionForm('submit_plan', {
      version: '1',
      response: 'agreed',
      owner: 'x'.repeat(201),
      actions: 'y',
      'targetDate-day': '30',
      'targetDate-month': '9',
      'targetDate-year': '2027',
    });
    expect(read.problems.map((p) => p.text)).toEqual(['Owner must be 200 characters or fewer']);
  });

  it('explains the progress rule about a moved target date', () => {
    expect(
      explainOne(
        TRANSITION_FORMS.update_progress,
        inputProblem(
          'comment',
          'reasonForNewTargetDate',
          'comment is required to give the reason for a new targetDate',
        ),
      ).text,
    ).toBe('Enter a comment giving the reason for the new target date');
  });

  it('points the evidence paths of the domain and the DTO at the title box', () => {
    expect(
      explainOne(
        TRANSITION_FORMS.propose_closure,
        inputProblem('evidence.0.title', 'required', 'evidence[0].title is required'),
      ),
    ).toEqual({ field: 'evidenceTitle', text: 'Enter the evidence title', anchor: 'propose_closure-evidenceTitle' });
    expect(
      explainOne(TRANSITION_FORMS.propose_closure, inputProblem('evidence', 'required', 'evidence is required')).field,
    ).toBe('evidenceTitle');
  });
});
