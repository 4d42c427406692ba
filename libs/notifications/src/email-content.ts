// What an email says, before rendering: its kind, recipient and the recommendations it is about.
import type { NotificationKind } from '#domain';

export type EmailDeadlineType = 'action_plan' | 'due_date' | 'closure_review' | 'decision' | 'no_progress';

/** An inspector's decision a `decision` email tells the force about. */
export interface EmailDecision {
  /** The workflow action: `return`, `authorise_closure`, `close` or `reopen`. */
  action: string;
  /** With `close`: `not_implemented` or `superseded`. */
  outcome: string | null;
  /** Who made it, by name. */
  by: string;
  reason: string | null;
}

/** One recommendation an email is about. */
export interface EmailItem {
  recommendationId: string;
  organisationName: string;
  inspectionTitle: string;
  reference: string;
  recommendationText: string;
  deadlineType: EmailDeadlineType;
  deadlineAt: Date;
  daysOverdue?: number | null;
  priority?: boolean;
  /** Only in `decision` emails. */
  decision?: EmailDecision;
}

export interface EmailContent {
  kind: NotificationKind;
  recipient: { name: string; email: string };
  items: EmailItem[];
  appBaseUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  /** iCalendar text (one event per deadline); only for reminders. */
  icalEvents?: string;
}
