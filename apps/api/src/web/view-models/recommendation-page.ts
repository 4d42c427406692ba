// The recommendation page: details, the forms for the actions allowed now, the history timeline and the notifications
// sent.
import type { RecommendationDetail } from '#application';
import { canManageInspection, Role, type Action, type Actor } from '#domain';
import { fieldId, type FormValues } from '../forms/transition.form.js';
import {
  DECIDE,
  DECISION_FORM,
  TRANSITION_FORMS,
  type FormField,
  type FormId,
  type TransitionForm,
} from '../forms/transition-forms.js';
import { pageTitle } from '../page-title.js';
import { datePartsOfCalendarDate, EMPTY_DATE, type DateParts } from './date-input.js';
import {
  NO_RECENT_PROGRESS,
  calendarDate,
  daysOverdueText,
  humanise,
  kindLabel,
  londonDate,
  londonDateTime,
  outcomeText,
  overdueReasonText,
  ragTag,
  responseText,
  statusTag,
  type Tag,
} from './format.js';
import { evidenceFate, latestDecision } from './decisions.js';
import { NO_ERRORS, type FormErrors } from './form-errors.js';
import { timelineItem } from './recommendation-timeline.js';

export { historyActionLabel, timelineItem, type TimelineItem } from './recommendation-timeline.js';

export interface PageField extends FormField {
  id: string;
  value: string;
  parts: DateParts;
  radioItems: { value: string; text: string; checked: boolean }[];
  error?: { text: string };
}

export interface PageForm {
  action: FormId;
  heading: string;
  button: string;
  warning: boolean;
  secondary: boolean;
  version: number;
  fields: PageField[];
}

export interface LedgerRow {
  kind: string;
  recipient: string;
  deadline: string;
  due: string;
  status: Tag;
}

/** A form the person posted, to show again with its values and errors. */
export interface PostedForm {
  action: FormId;
  values: FormValues;
  errors: FormErrors;
}

export interface RecommendationPageInput {
  actor: Actor;
  rec: RecommendationDetail;
  inspection: { id: string; title: string; leadInspectorId: string };
  organisationName: string;
  userNames: Map<string, string>;
  ledger:
    | {
        kind: string;
        recipient: string;
        deadlineType?: string;
        deadlineAt: string;
        dueAt: string;
        sentAt: string | null;
        status: string;
      }[]
    | null;
  posted?: PostedForm;
  /** Errors for the summary at the top (the posted form's, or a stale or refused form's). */
  errors?: FormErrors;
}

/**
 * The actions this person may take now: the domain's allowedActions for their role and the status, and
 * for an inspector only on an inspection they lead (the same canManageInspection the service checks).
 */
export function availableActions(
  actor: Actor,
  rec: { allowedActions: readonly Action[] },
  inspection: { leadInspectorId: string },
): Action[] {
  if (actor.role === Role.Inspector && !canManageInspection(actor, inspection)) return [];
  return [...rec.allowedActions];
}

function defaults(rec: RecommendationDetail, action: FormId): FormValues {
  if (action === 'update_progress') return { rag: rec.rag ?? '', targetDate: datePartsOfCalendarDate(rec.targetDate) };
  // Amending starts from the plan as it stands: change what has changed.
  if (action === 'amend_plan')
    return { owner: rec.owner ?? '', actions: rec.actions ?? '', targetDate: datePartsOfCalendarDate(rec.targetDate) };
  return {};
}

/**
 * The forms to show: one per action, except that the lead inspector's three answers to a closure proposal
 * (authorise, return, close) are one question, `What is your decision?` (docs/contracts/web-contract.md, v2).
 */
function formsFor(actions: readonly Action[]): FormId[] {
  if (!actions.includes('authorise_closure')) return [...actions];
  const answers = new Set<Action>(['authorise_closure', 'return', 'close']);
  return [DECIDE, ...actions.filter((a) => !answers.has(a))];
}

function pageForm(rec: RecommendationDetail, action: FormId, posted: PostedForm | undefined): PageForm {
  const form: TransitionForm = action === DECIDE ? DECISION_FORM : TRANSITION_FORMS[action];
  const mine = posted?.action === action ? posted : undefined;
  const values = mine?.values ?? defaults(rec, action);
  const errors = mine?.errors ?? NO_ERRORS;
  return {
    action,
    heading: form.heading,
    button: form.button,
    warning: form.warning ?? false,
    secondary: form.secondary ?? false,
    version: rec.version,
    fields: form.fields.map((f) => {
      const value = values[f.name];
      return {
        ...f,
        id: fieldId(action, f.name),
        value: typeof value === 'string' ? value : '',
        parts: typeof value === 'object' ? value : EMPTY_DATE,
        radioItems: (f.options ?? []).map((o) => ({ ...o, checked: o.value === value })),
        error: errors.fields[f.name],
      };
    }),
  };
}

const DEADLINE_TEXT: Record<string, string> = {
  action_plan: 'Action plan',
  due_date: 'Due date',
  closure_review: 'Closure proposed',
  no_progress: 'Last progress',
  weekly_summary: 'Week of',
};

/**
 * One line of the notification log: what, to whom, about which deadline, and when it went (or will go), in London time.
 */
export function notificationLine(n: NonNullable<RecommendationPageInput['ledger']>[number]) {
  return {
    kind: kindLabel(n.kind, 'log'),
    recipient: n.recipient,
    deadline:
      n.deadlineType && DEADLINE_TEXT[n.deadlineType]
        ? `${DEADLINE_TEXT[n.deadlineType]}: ${londonDate(n.deadlineAt)}`
        : londonDate(n.deadlineAt),
    due: n.sentAt
      ? `Sent ${londonDateTime(n.sentAt)}`
      : n.status === 'scheduled'
        ? `Planned for ${londonDateTime(n.dueAt)}`
        : londonDateTime(n.dueAt),
    status: LEDGER_STATUS[n.status] ?? { text: humanise(n.status), classes: 'govuk-tag--grey' },
  };
}
const LEDGER_STATUS: Record<string, Tag> = {
  scheduled: { text: 'Scheduled', classes: 'govuk-tag--blue' },
  sent: { text: 'Sent', classes: 'govuk-tag--green' },
  failed: { text: 'Failed', classes: 'govuk-tag--red' },
  cancelled: { text: 'Cancelled', classes: 'govuk-tag--grey' },
};

export function recommendationPageModel(input: RecommendationPageInput) {
  const { rec, inspection, actor } = input;
  const actions = availableActions(actor, rec, inspection);
  const facts: { key: string; value: string; tag?: Tag }[] = [
    { key: 'Status', value: '', tag: statusTag(rec.status, rec.overdue) },
    ...(rec.noRecentProgress ? [{ key: 'Progress', value: '', tag: NO_RECENT_PROGRESS }] : []),
    ...(rec.progressAt ? [{ key: 'Last progress', value: londonDate(rec.progressAt) }] : []),
    ...(rec.overdue
      ? [
          {
            key: 'Overdue',
            value: `${daysOverdueText(rec.daysOverdue)}: ${overdueReasonText(rec.overdueReason).toLowerCase()}`,
          },
        ]
      : []),
    { key: 'Priority', value: rec.priority ? 'Yes' : 'No' },
    { key: 'Action plan deadline', value: londonDate(rec.actionPlanDueAt) },
    { key: 'Due date', value: londonDate(rec.dueAt) },
    ...(rec.outcome ? [{ key: 'Outcome', value: outcomeText(rec.outcome) }] : []),
    ...(rec.area ? [{ key: 'Area', value: rec.area }] : []),
  ];
  const plan = rec.response
    ? [
        { key: 'Response', value: responseText(rec.response) },
        { key: 'Owner', value: rec.owner ?? '' },
        { key: 'Actions', value: rec.actions ?? '' },
        { key: 'Target date', value: calendarDate(rec.targetDate) },
        { key: 'RAG status', value: '', tag: ragTag(rec.rag) },
      ]
    : null;
  return {
    pageTitle: pageTitle(`Recommendation ${rec.reference}`, inspection.title),
    id: rec.id,
    reference: rec.reference,
    text: rec.text,
    /** Of a draft inspection: seen only by inspectorate staff, no workflow until it is published. */
    draft: rec.draft,
    organisationName: input.organisationName,
    inspection: { href: `/inspections/${inspection.id}`, title: inspection.title },
    facts,
    // Lineage both ways: the later recommendation that replaces this one, and the earlier ones it replaces.
    lineage: {
      supersededBy: rec.supersededById
        ? { href: `/recommendations/${rec.supersededById}`, text: 'The recommendation that replaces it' }
        : null,
      supersedes: rec.supersedes.map((id, i) => ({
        href: `/recommendations/${id}`,
        text:
          rec.supersedes.length === 1
            ? 'The earlier recommendation it replaces'
            : `Earlier recommendation ${i + 1} it replaces`,
      })),
    },
    plan,
    evidence: rec.evidence.map((e) => ({
      title: e.title,
      url: e.url && /^https?:\/\//i.test(e.url) ? e.url : null,
      note: e.note,
      by: input.userNames.get(e.submittedBy) ?? 'a former user',
      when: londonDateTime(e.createdAt),
      fate: evidenceFate(e, rec.history),
    })),
    forms: formsFor(actions).map((a) => pageForm(rec, a, input.posted)),
    decision: latestDecision(rec.history, input.userNames),
    // Newest first: what happened last is what a person looks for.
    timeline: [...rec.history].reverse().map((h) => timelineItem(h, input.userNames)),
    // Sent, planned and failed notices in the log; cancelled plans only behind a details element.
    notifications: input.ledger?.filter((n) => n.status !== 'cancelled').map(notificationLine) ?? null,
    cancelledNotifications: input.ledger?.filter((n) => n.status === 'cancelled').map(notificationLine) ?? [],
    errors: input.errors ?? input.posted?.errors ?? NO_ERRORS,
    backLink: { href: `/inspections/${inspection.id}`, text: `Back to ${inspection.title}` },
  };
}

export type RecommendationPageModel = ReturnType<typeof recommendationPageModel>;
