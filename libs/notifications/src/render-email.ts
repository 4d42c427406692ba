// Renders an email's subject, text and HTML parts (Handlebars) and, for reminders, its calendar file.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { LONDON, NOTIFICATION_KINDS, type CalendarOrganizer, type NotificationKind } from '#domain';
import { cancelCalendar, cancelledView, reminderCalendar } from './calendar-parts.js';
import { groupedItems, recommendationLink } from './email-items.js';

export { recommendationLink };
import { decisionHeading, shortTitle } from './decision-text.js';
import type { EmailContent, EmailDeadlineType, RenderedEmail } from './email-content.js';
import { EMAIL_WORDING, days } from './email-wording.js';

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
  const part = NOTIFICATION_KINDS[content.kind].email.calendar;
  const calendar =
    content.items.length === 0 || part === null
      ? {}
      : part === 'publish'
        ? { icalEvents: reminderCalendar(content, organizer), icalMethod: 'PUBLISH' as const }
        : { icalEvents: cancelCalendar(content, organizer), icalMethod: 'CANCEL' as const };
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

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const LONDON_SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A deadline as a date ("Thursday 11 October 2018"), with its London time only when it has one (not midnight). */
export function deadlineText(at: Date): string {
  const part = Object.fromEntries(LONDON_DATE.formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${part.weekday} ${part.day} ${part.month} ${part.year}`;
  const time = LONDON_TIME.format(at);
  return time === '00:00' ? date : `${date}, ${time} (UK time)`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function viewModel(content: EmailContent) {
  // A decision email lists each decision as made (two on one recommendation are two entries); others one entry per
  // recommendation.
  const definition = NOTIFICATION_KINDS[content.kind].email;
  const groups = definition.compose === 'decisions' ? content.items.map((item) => [item]) : groupedItems(content.items);
  const count = groups.length;
  const base = content.appBaseUrl.replace(/\/+$/, '');
  const forces = [...new Set(groups.map((g) => g[0].organisationName))].sort((a, b) => a.localeCompare(b, 'en-GB'));
  const scope = forces.length === 1 ? forces[0] : `${forces.length} forces`;
  const earliest = groups.length ? groups[0][0].deadlineAt : new Date(0);
  const list = listLink(content, base);
  return {
    subject: EMAIL_WORDING[content.kind].subject({
      groups,
      scope,
      earliest: LONDON_SHORT_DATE.format(earliest),
      recommendations: plural(count, 'recommendation'),
    }),
    recipientName: content.recipient.name,
    count,
    single: count === 1,
    scope,
    listLink: list.href,
    listText: list.text,
    whyText: EMAIL_WORDING[content.kind].why(scope),
    accountLink: `${base}/account`,
    cancelled:
      definition.calendar === 'cancel' && groups.length > 0
        ? cancelledView(groups[0][0], LONDON_SHORT_DATE.format(groups[0][0].deadlineAt))
        : null,
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
          ? {
              heading: decisionHeading(item.decision),
              by: item.decision.by,
              reason: item.decision.reason ?? '',
              when: formatDeadline(item.deadlineAt),
            }
          : null,
      };
    }),
  };
}

/**
 * The list the email is about, filtered to it: the overdue list of its force for oversight, else the inspection or My
 * work.
 */
function listLink(content: EmailContent, base: string): { href: string; text: string } {
  const organisations = [...new Set(content.items.map((i) => i.organisationId).filter(Boolean))];
  const inspections = [...new Set(content.items.map((i) => i.inspectionId).filter(Boolean))];
  if (NOTIFICATION_KINDS[content.kind].email.list === 'overdue') {
    return organisations.length === 1
      ? {
          href: `${base}/overdue?force=${encodeURIComponent(organisations[0]!)}`,
          text: 'See these in the overdue list',
        }
      : { href: `${base}/overdue`, text: 'See the overdue list' };
  }
  if (inspections.length === 1)
    return {
      href: `${base}/inspections/${encodeURIComponent(inspections[0]!)}`,
      text: 'See the inspection and all its recommendations',
    };
  return { href: `${base}/`, text: 'See your work in the Follow-up Tracker' };
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
