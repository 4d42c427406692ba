// The recommendation page's forms (docs/contracts/web-contract.md): one per workflow action, with its button and
// labelled fields.
import { Action } from '#domain';

export type FieldKind = 'radios' | 'text' | 'textarea' | 'date' | 'url' | 'file';

export interface FormField {
  /** The form field's name; the id of its input is `<action>-<name>`. */
  name: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  options?: { value: string; text: string }[];
  /** The hint says so; the label stays exactly as docs/contracts/web-contract.md names it. */
  optional?: boolean;
  /** Shown filled in with the current value, which may be changed but not emptied (amending a plan). */
  keep?: boolean;
}

/** A form's identity: a workflow action, or the inspector's one-question decision (`decide`). */
export type FormId = Action | typeof DECIDE;

export interface TransitionForm {
  action: FormId;
  heading: string;
  button: string;
  /** A red button: only where something is destroyed (no workflow action destroys anything, so none is). */
  warning?: boolean;
  /** A grey button, for an action beside the main one (reopening, withdrawing). */
  secondary?: boolean;
  /** Saved only from the check-your-answers page (`Confirm decision`), never straight from the form. */
  confirmed?: boolean;
  fields: FormField[];
}

/**
 * The inspector's decision on a closure proposal: one question instead of three forms (docs/contracts/web-contract.md,
 * v2).
 */
export const DECIDE = 'decide';

const comment = (hint?: string, optional = false): FormField => ({
  name: 'comment',
  label: 'Comment',
  kind: 'textarea',
  hint: optional ? ['Optional.', hint].filter(Boolean).join(' ') : hint,
  optional,
});
const targetDate = (hint: string): FormField => ({ name: 'targetDate', label: 'Target date', kind: 'date', hint });
/** One choice of several, each `[value, text]`. */
const radios = (name: string, label: string, choices: [value: string, text: string][], hint?: string): FormField => ({
  name,
  label,
  kind: 'radios',
  ...(hint === undefined ? {} : { hint }),
  options: choices.map(([value, text]) => ({ value, text })),
});

export const TRANSITION_FORMS: Record<Action, TransitionForm> = {
  [Action.SubmitPlan]: {
    action: Action.SubmitPlan,
    heading: 'Submit the action plan',
    button: 'Submit action plan',
    fields: [
      radios(
        'response',
        'Response',
        [
          ['agreed', 'Agreed'],
          ['partly_agreed', 'Partly agreed'],
          ['not_agreed', 'Not agreed'],
        ],
        'Does the force accept the recommendation?',
      ),
      {
        name: 'owner',
        label: 'Owner',
        kind: 'text',
        hint: 'The person or team responsible, for example Head of Public Protection',
      },
      { name: 'actions', label: 'Actions', kind: 'textarea', hint: 'What the force will do, one action per line' },
      targetDate('When the force expects to have finished, for example 31 3 2026'),
      comment('Needed if the force does not fully agree: say why.', true),
    ],
  },
  [Action.UpdateProgress]: {
    action: Action.UpdateProgress,
    heading: 'Update progress',
    button: 'Update progress',
    fields: [
      radios('rag', 'RAG status', [
        ['red', 'Red'],
        ['amber', 'Amber'],
        ['green', 'Green'],
      ]),
      targetDate('Change it only with a reason in the comment'),
      comment('Needed when the target date changes: give the reason.', true),
    ],
  },
  [Action.ProposeClosure]: {
    action: Action.ProposeClosure,
    heading: 'Propose closure',
    button: 'Propose closure',
    fields: [
      {
        name: 'evidenceTitle',
        label: 'Evidence title',
        kind: 'text',
        hint: 'For example, Audit of overdue offender visits, March 2026',
      },
      {
        name: 'evidenceUrl',
        label: 'Evidence link',
        kind: 'url',
        hint: 'Optional. A web address where the inspector can read it, like https://intranet.example/audit',
        optional: true,
      },
      {
        name: 'evidenceNote',
        label: 'Evidence note',
        kind: 'textarea',
        hint: 'Optional. What the evidence shows',
        optional: true,
      },
      {
        name: 'evidenceFiles',
        label: 'Evidence files',
        kind: 'file',
        hint: 'Optional. PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG. You can choose several files. Files are checked for viruses before the inspector can open them',
        optional: true,
      },
      comment(undefined, true),
    ],
  },
  // Authorising and returning are answers to the decision question (DECISION_FORM); these two describe
  // them for the confirmation page and for messages, and are never shown as forms of their own.
  [Action.AuthoriseClosure]: {
    action: Action.AuthoriseClosure,
    heading: 'Authorise closure',
    button: 'Authorise closure',
    confirmed: true,
    fields: [comment('The recommendation will be closed as implemented.', true)],
  },
  [Action.Return]: {
    action: Action.Return,
    heading: 'Return to the force',
    button: 'Return to the force',
    confirmed: true,
    fields: [comment('Say what the force still needs to do')],
  },
  [Action.Close]: {
    action: Action.Close,
    heading: 'Close without implementation',
    button: 'Close recommendation',
    confirmed: true,
    fields: [
      radios('outcome', 'Outcome', [
        ['not_implemented', 'Not implemented'],
        ['superseded', 'Superseded'],
      ]),
      comment('Say why it is being closed'),
    ],
  },
  [Action.Reopen]: {
    action: Action.Reopen,
    heading: 'Reopen',
    button: 'Reopen',
    secondary: true,
    confirmed: true,
    fields: [comment('Say why it is being reopened')],
  },
  [Action.AmendPlan]: {
    action: Action.AmendPlan,
    heading: 'Amend the action plan',
    button: 'Amend action plan',
    fields: [
      { name: 'owner', label: 'Owner', kind: 'text', hint: 'The person or team responsible', keep: true },
      {
        name: 'actions',
        label: 'Actions',
        kind: 'textarea',
        hint: 'What the force will do, one action per line',
        keep: true,
      },
      { ...targetDate('When the force now expects to have finished'), keep: true },
      {
        name: 'comment',
        label: 'Reason for the new date',
        kind: 'textarea',
        hint: 'Needed only if you change the target date.',
        optional: true,
      },
    ],
  },
  [Action.WithdrawClosure]: {
    action: Action.WithdrawClosure,
    heading: 'Withdraw the closure proposal',
    button: 'Withdraw closure proposal',
    secondary: true,
    fields: [comment('For example, say what you will send instead. The recommendation goes back to planned.', true)],
  },
};

/** The answers to `What is your decision?`, in the order shown. */
export const DECISION_CHOICES: readonly [Action, string][] = [
  [Action.AuthoriseClosure, 'Authorise closure'],
  [Action.Return, 'Return to the force'],
  [Action.Close, 'Close without implementation'],
];

/**
 * The lead inspector's decision on a closure proposal: the answer, a reason (not needed to authorise) and, to close, an
 * outcome.
 */
export const DECISION_FORM: TransitionForm = {
  action: DECIDE,
  heading: 'Decide on the closure proposal',
  button: 'Continue',
  fields: [
    radios(
      'decision',
      'What is your decision?',
      DECISION_CHOICES.map(([value, text]) => [value, text]),
    ),
    {
      name: 'comment',
      label: 'Reason',
      kind: 'textarea',
      hint: 'Needed to return the closure or to close without implementation; optional to authorise it.',
    },
    radios(
      'outcome',
      'Outcome',
      [
        ['not_implemented', 'Not implemented'],
        ['superseded', 'Superseded'],
      ],
      'Only if you close it without implementation',
    ),
  ],
};

/** The actions a page saves only after the check-your-answers page. */
export const isConfirmedAction = (action: string): action is Action =>
  isFormAction(action) && TRANSITION_FORMS[action].confirmed === true;

export const isFormAction = (value: string): value is Action =>
  Object.prototype.hasOwnProperty.call(TRANSITION_FORMS, value);
