// Renders an email's subject, text and HTML parts (Handlebars) and, for reminders, its calendar file.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { LONDON, wholeDaysBetween, type CalendarOrganizer, type NotificationKind } from '#domain';
import { cancelCalendar, cancelledView, reminderCalendar } from './calendar-parts.js';
import { groupedItems, recommendationLink } from './email-items.js';

export { recommendationLink };
import { decisionHeading, decisionShort, shortTitle } from './decision-text.js';
import type { EmailContent, EmailDeadlineType, EmailItem, RenderedEmail } from './email-content.js';

// Resolved from this module so it works both from source (jest) and from dist, where the build copies the folder.
const TEMPLATES_DIR = new URL('./templates/', import.meta.url);

const DEADLINE_LABELS: Record<EmailDeadlineType, string> = {
  action_plan: 'Action plan due',
  due_date: 'Due date',
  closure_review: 'Closure review',
  decision: 'Decided',
  no_progress: 'Last progress',
};

type Template = Handlebars.TemplateDelegate;
interface KindTemplates {
  html: Template;
  text: Template;
}

// A private environment so partials registered here never clash with other Handlebars users.
const hb = Handlebars.create();
const cache = new Map<NotificationKind, KindTemplates>();
let partialsRegistered = false;

/** Who the calendar parts name as ORGANIZER when the caller does not say (the sender, MAIL_FROM, in the worker). */
const DEFAULT_ORGANIZER: CalendarOrganizer = { email: 'followup@localhost', name: 'Follow-up Tracker' };

/**
 * Renders the subject, text and HTML parts of one email and its calendar part: a reminder's deadlines (METHOD:PUBLISH,
 * attached), a cancellation's event (METHOD:CANCEL). `organizer` is the sender, each event's ORGANIZER.
 */
export function renderEmail(content: EmailContent, options: { organizer?: CalendarOrganizer } = {}): RenderedEmail {
  const templates = templatesFor(content.kind);
  const view = viewModel(content);
  const organizer = options.organizer ?? DEFAULT_ORGANIZER;
  const calendar =
    content.items.length === 0
      ? {}
      : content.kind === 'reminder'
        ? { icalEvents: reminderCalendar(content, organizer), icalMethod: 'PUBLISH' as const }
        : content.kind === 'calendar_cancel'
          ? { icalEvents: cancelCalendar(content, organizer), icalMethod: 'CANCEL' as const }
          : {};
  return { subject: view.subject, html: templates.html(view), text: templates.text(view), ...calendar };
}

// One formatter for every email: building one per call (as luxon does) costs more than the rest of the render.
const LONDON_DEADLINE = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** e.g. "Friday 11 October 2018, 00:00 (UK time)". */
export function formatDeadline(at: Date): string {
  const part = Object.fromEntries(LONDON_DEADLINE.formatToParts(at).map((p) => [p.type, p.value]));
  return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute} (UK time)`;
}


const LONDON_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const LONDON_SHORT_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, day: 'numeric', month: 'long', year: 'numeric' });
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: LONDON, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A deadline as a date ("Thursday 11 October 2018"), with its London time only when it has one (not midnight). */
export function deadlineText(at: Date): string {
  const part = Object.fromEntries(LONDON_DATE.formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${part.weekday} ${part.day} ${part.month} ${part.year}`;
  const time = LONDON_TIME.format(at);
  return time === '00:00' ? date : `${date}, ${time} (UK time)`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function viewModel(content: EmailContent) {
  // A decision email lists each decision as made (two on one recommendation are two entries); others one entry per recommendation.
  const groups = content.kind === 'decision' ? content.items.map((item) => [item]) : groupedItems(content.items);
  const count = groups.length;
  const base = content.appBaseUrl.replace(/\/+$/, '');
  const forces = [...new Set(groups.map((g) => g[0].organisationName))].sort((a, b) => a.localeCompare(b, 'en-GB'));
  const scope = forces.length === 1 ? forces[0] : `${forces.length} forces`;
  const earliest = groups.length ? groups[0][0].deadlineAt : new Date(0);
  const list = listLink(content, base);
  return {
    subject: subjectFor(content.kind, groups, scope, LONDON_SHORT_DATE.format(earliest)),
    recipientName: content.recipient.name,
    count,
    single: count === 1,
    scope,
    listLink: list.href,
    listText: list.text,
    whyText: whyFor(content.kind, scope),
    accountLink: `${base}/account`,
    cancelled: content.kind === 'calendar_cancel' && groups.length > 0 ? cancelledView(groups[0][0], LONDON_SHORT_DATE.format(groups[0][0].deadlineAt)) : null,
    items: groups.map((group) => {
      const item = group[0];
      return {
        reference: item.reference,
        title: shortTitle(item.recommendationText),
        shortTitle: shortTitle(item.recommendationText),
        organisationName: item.organisationName,
        inspectionTitle: item.inspectionTitle,
        recommendationText: item.recommendationText,
        priority: group.some((g) => g.priority === true),
        deadlines: group.map((d) => ({
          deadlineLabel: DEADLINE_LABELS[d.deadlineType],
          deadlineText: deadlineText(d.deadlineAt),
          overdueText: d.daysOverdue != null && d.daysOverdue > 0 ? `overdue by ${days(d.daysOverdue)}` : null,
        })),
        evidenceText: item.evidence && item.evidence.titles.length ? item.evidence.titles.join('; ') : null,
        evidenceFiles: item.evidenceFiles ?? [],
        hasEvidenceFiles: (item.evidenceFiles ?? []).length > 0,
        proposedBy: item.evidence?.proposedBy ?? null,
        // The first deadline at the top level too, for templates that show one.
        deadlineLabel: DEADLINE_LABELS[item.deadlineType],
        deadlineText: deadlineText(item.deadlineAt),
        overdueText: item.daysOverdue != null && item.daysOverdue > 0 ? `overdue by ${days(item.daysOverdue)}` : null,
        link: recommendationLink(content.appBaseUrl, item.recommendationId),
        decision: item.decision
          ? { heading: decisionHeading(item.decision), by: item.decision.by, reason: item.decision.reason ?? '', when: formatDeadline(item.deadlineAt) }
          : null,
      };
    }),
  };
}

/** The list the email is about, filtered to it: the overdue list of its force for oversight, else the inspection or My work. */
function listLink(content: EmailContent, base: string): { href: string; text: string } {
  const organisations = [...new Set(content.items.map((i) => i.organisationId).filter(Boolean))];
  const inspections = [...new Set(content.items.map((i) => i.inspectionId).filter(Boolean))];
  if (content.kind === 'escalation' || content.kind === 'overdue_summary') {
    return organisations.length === 1
      ? { href: `${base}/overdue?force=${encodeURIComponent(organisations[0]!)}`, text: 'See these in the overdue list' }
      : { href: `${base}/overdue`, text: 'See the overdue list' };
  }
  if (inspections.length === 1) return { href: `${base}/inspections/${encodeURIComponent(inspections[0]!)}`, text: 'See the inspection and all its recommendations' };
  return { href: `${base}/`, text: 'See your work in the Follow-up Tracker' };
}

function whyFor(kind: NotificationKind, scope: string): string {
  switch (kind) {
    case 'reminder':
      return `You are getting this email because you are a liaison officer for ${scope} in the Follow-up Tracker.`;
    case 'overdue':
      return `You are getting this email because you are a liaison officer for ${scope}, or you lead the inspection.`;
    case 'escalation':
      return `You are getting this email because overdue recommendations of ${scope} are escalated to you as a manager.`;
    case 'review_needed':
      return 'You are getting this email because you lead the inspection these recommendations belong to.';
    case 'overdue_summary':
      return `You are getting this email because you are a manager of ${scope} in the Follow-up Tracker.`;
    case 'stale':
      return `You are getting this email because you are a liaison officer for ${scope} in the Follow-up Tracker.`;
    case 'decision':
      return ''; // its template says why
    case 'calendar_cancel':
      return 'You are getting this email because an earlier reminder from the Follow-up Tracker put this deadline in your calendar.';
    default:
      return 'You are getting this email because of your role in the Follow-up Tracker.';
  }
}

function subjectFor(kind: NotificationKind, groups: readonly EmailItem[][], scope: string, earliest: string): string {
  const recommendations = plural(groups.length, 'recommendation');
  switch (kind) {
    case 'reminder':
      return `Reminder, ${scope}: ${recommendations} due, the first on ${earliest}`;
    case 'overdue':
      return `Overdue, ${scope}: ${recommendations}, the first due on ${earliest}`;
    case 'escalation': {
      const overdue = groups.map((g) => Math.max(...g.map(daysOverdueOf)));
      const max = Math.max(0, ...overdue);
      const upTo = overdue.some((d) => d !== max) ? 'up to ' : '';
      return `Escalation, ${scope}: ${recommendations} overdue ${upTo}${days(max)}, since ${earliest}`;
    }
    case 'review_needed':
      return `Evidence to review, ${scope}: ${recommendations}, the first review due on ${earliest}`;
    case 'overdue_summary':
      return `Weekly overdue summary, ${scope}: ${recommendations}, overdue since ${earliest}`;
    case 'decision': {
      const first = groups[0]?.[0];
      if (groups.length === 1 && first?.decision) return `Decision on recommendation ${first.reference}: ${decisionShort(first.decision)} (${first.organisationName})`;
      return `Decisions, ${scope}: ${recommendations}`;
    }
    case 'stale':
      return `No recent progress, ${scope}: ${recommendations} not updated lately`;
    case 'calendar_cancel': {
      const first = groups[0]?.[0];
      if (first?.deadlineType === 'action_plan') return `Cancelled, ${scope}: the action plan deadline of ${earliest} is no longer due`;
      return `Cancelled, ${scope}: recommendation ${first?.reference ?? ''} due ${earliest} is no longer due`;
    }
    default:
      return `Follow-up Tracker, ${scope}: ${recommendations}`;
  }
}

// Callers normally pass daysOverdue; falling back to the clock keeps an escalation subject meaningful without it.
function daysOverdueOf(item: EmailItem): number {
  return item.daysOverdue ?? wholeDaysBetween(item.deadlineAt, Date.now());
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function templatesFor(kind: NotificationKind): KindTemplates {
  let templates = cache.get(kind);
  if (!templates) {
    registerPartials();
    templates = {
      html: compile(`${kind}.html.hbs`, false),
      text: compile(`${kind}.text.hbs`, true),
    };
    cache.set(kind, templates);
  }
  return templates;
}

function registerPartials(): void {
  if (partialsRegistered) return;
  // Registered pre-compiled: a partial given as source would be compiled with the options of
  // whichever template used it first, leaking HTML escaping into the text part or vice versa.
  hb.registerPartial({
    layoutHtml: compile('partials/layout.html.hbs', false),
    itemsHtml: compile('partials/items.html.hbs', false),
    layoutText: compile('partials/layout.text.hbs', true),
    itemsText: compile('partials/items.text.hbs', true),
  });
  partialsRegistered = true;
}

function compile(file: string, plainText: boolean): Template {
  const source = readFileSync(new URL(file, TEMPLATES_DIR), 'utf8');
  return hb.compile(source, { strict: true, noEscape: plainText });
}
