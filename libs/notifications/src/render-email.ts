// Renders an email's subject, text and HTML parts (Handlebars) and, for reminders, its calendar file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { createEvents, type EventAttributes } from 'ics';
import { LONDON, wholeDaysBetween, type NotificationKind } from '#domain';
import type { EmailContent, EmailDeadlineType, EmailItem, RenderedEmail } from './email-content.js';

// Resolved from this module so it works both from source (jest) and from dist, where the build copies the folder.
const TEMPLATES_DIR = new URL('./templates/', import.meta.url);

const DEADLINE_LABELS: Record<EmailDeadlineType, string> = {
  action_plan: 'Action plan due',
  due_date: 'Due date',
  closure_review: 'Closure review',
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

/** Renders the subject, text and HTML parts (and, for reminders, an iCalendar file) of one email. */
export function renderEmail(content: EmailContent): RenderedEmail {
  const templates = templatesFor(content.kind);
  const view = viewModel(content);
  return {
    subject: view.subject,
    html: templates.html(view),
    text: templates.text(view),
    ...(content.kind === 'reminder' && content.items.length > 0 ? { icalEvents: icalFor(content) } : {}),
  };
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

export function recommendationLink(appBaseUrl: string, recommendationId: string): string {
  return `${appBaseUrl.replace(/\/+$/, '')}/recommendations/${encodeURIComponent(recommendationId)}`;
}

function viewModel(content: EmailContent) {
  const count = content.items.length;
  return {
    subject: subjectFor(content.kind, content.items),
    recipientName: content.recipient.name,
    count,
    single: count === 1,
    items: content.items.map((item) => ({
      reference: item.reference,
      organisationName: item.organisationName,
      inspectionTitle: item.inspectionTitle,
      recommendationText: item.recommendationText,
      priority: item.priority === true,
      deadlineLabel: DEADLINE_LABELS[item.deadlineType],
      deadlineText: formatDeadline(item.deadlineAt),
      overdueText: item.daysOverdue != null && item.daysOverdue > 0 ? `overdue by ${days(item.daysOverdue)}` : null,
      link: recommendationLink(content.appBaseUrl, item.recommendationId),
      evidenceFiles: item.evidenceFiles ?? [],
      hasEvidenceFiles: (item.evidenceFiles ?? []).length > 0,
    })),
  };
}

function subjectFor(kind: NotificationKind, items: EmailItem[]): string {
  const n = items.length;
  const recommendations = n === 1 ? '1 recommendation' : `${n} recommendations`;
  switch (kind) {
    case 'reminder':
      return `Reminder: ${n === 1 ? '1 recommendation deadline' : `${n} recommendation deadlines`} approaching`;
    case 'overdue':
      return `Overdue: ${n === 1 ? '1 recommendation deadline has' : `${n} recommendation deadlines have`} passed`;
    case 'escalation': {
      const overdue = items.map(daysOverdueOf);
      const max = Math.max(0, ...overdue);
      const upTo = overdue.some((d) => d !== max) ? 'up to ' : '';
      return `Escalation: ${recommendations} overdue ${upTo}${days(max)}`;
    }
    case 'review_needed':
      return `Evidence waiting for review: ${recommendations}`;
    case 'overdue_summary':
      return `Weekly overdue summary: ${recommendations}`;
  }
}

// Callers normally pass daysOverdue; falling back to the clock keeps an escalation subject meaningful without it.
function daysOverdueOf(item: EmailItem): number {
  return item.daysOverdue ?? wholeDaysBetween(item.deadlineAt, Date.now());
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function icalFor(content: EmailContent): string {
  const events: EventAttributes[] = content.items.map((item) => {
    const link = recommendationLink(content.appBaseUrl, item.recommendationId);
    return {
      uid: icalUid(item),
      // A deadline is an instant; a short timed event shows it at the right time in any calendar's zone.
      start: item.deadlineAt.getTime(),
      startInputType: 'utc',
      startOutputType: 'utc',
      duration: { minutes: 30 },
      title: `${DEADLINE_LABELS[item.deadlineType]}: ${item.reference} (${item.organisationName})`,
      description: `${item.inspectionTitle}\n\n${item.recommendationText}\n\n${link}`,
      url: link,
      status: 'CONFIRMED',
      busyStatus: 'FREE',
      transp: 'TRANSPARENT',
    };
  });
  const { error, value } = createEvents(events, {
    productId: '-//HMICFRS//Follow-up Tracker//EN',
    method: 'PUBLISH',
    calName: 'Recommendation deadlines',
  });
  if (error || !value) throw error ?? new Error('ics produced no calendar');
  return value;
}

// Stable across resends so calendar clients update the existing event instead of adding a duplicate.
function icalUid(item: EmailItem): string {
  const key = `${item.recommendationId}|${item.deadlineType}|${item.deadlineAt.toISOString()}`;
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}@followup-tracker`;
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
