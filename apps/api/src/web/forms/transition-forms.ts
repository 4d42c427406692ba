// The recommendation page's forms (web-contract.md): one per workflow action, with its button and labelled fields.
import { Action } from '#domain';

export type FieldKind = 'radios' | 'text' | 'textarea' | 'date' | 'url' | 'file';

export interface FormField {
  /** The form field's name; the id of its input is `<action>-<name>`. */
  name: string;
  label: string;
  kind: FieldKind;
  hint?: string;
  options?: { value: string; text: string }[];
  /** The hint says so; the label stays exactly as web-contract.md names it. */
  optional?: boolean;
}

export interface TransitionForm {
  action: Action;
  heading: string;
  button: string;
  /** A warning button for actions that end or undo the force's work. */
  warning?: boolean;
  fields: FormField[];
}

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
      radios('response', 'Response', [['agreed', 'Agreed'], ['partly_agreed', 'Partly agreed'], ['not_agreed', 'Not agreed']], 'Does the force accept the recommendation?'),
      { name: 'owner', label: 'Owner', kind: 'text', hint: 'The person or team responsible, for example Head of Public Protection' },
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
      radios('rag', 'RAG status', [['red', 'Red'], ['amber', 'Amber'], ['green', 'Green']]),
      targetDate('Change it only with a reason in the comment'),
      comment('Needed when the target date changes: give the reason.', true),
    ],
  },
  [Action.ProposeClosure]: {
    action: Action.ProposeClosure,
    heading: 'Propose closure',
    button: 'Propose closure',
    fields: [
      { name: 'evidenceTitle', label: 'Evidence title', kind: 'text', hint: 'For example, Audit of overdue offender visits, March 2026' },
      { name: 'evidenceUrl', label: 'Evidence link', kind: 'url', hint: 'Optional. A web address where the inspector can read it, like https://intranet.example/audit', optional: true },
      { name: 'evidenceNote', label: 'Evidence note', kind: 'textarea', hint: 'Optional. What the evidence shows', optional: true },
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
  [Action.AuthoriseClosure]: {
    action: Action.AuthoriseClosure,
    heading: 'Authorise closure',
    button: 'Authorise closure',
    fields: [comment('The recommendation will be closed as implemented.', true)],
  },
  [Action.Return]: {
    action: Action.Return,
    heading: 'Return to the force',
    button: 'Return to force',
    warning: true,
    fields: [comment('Say what the force still needs to do')],
  },
  [Action.Close]: {
    action: Action.Close,
    heading: 'Close without implementation',
    button: 'Close recommendation',
    warning: true,
    fields: [
      radios('outcome', 'Outcome', [['not_implemented', 'Not implemented'], ['superseded', 'Superseded']]),
      comment('Say why it is being closed'),
    ],
  },
  [Action.Reopen]: {
    action: Action.Reopen,
    heading: 'Reopen',
    button: 'Reopen',
    fields: [comment('Say why it is being reopened')],
  },
};

export const isFormAction = (value: string): value is Action => Object.prototype.hasOwnProperty.call(TRANSITION_FORMS, value);
