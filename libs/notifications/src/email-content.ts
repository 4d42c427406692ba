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
  /** Evidence files the email names (review alerts): each with its type, size and scan result in words. */
  evidenceFiles?: { name: string; description: string }[];
  /** For the link to the list the email is about (the force's overdue list, the inspection). */
  organisationId?: string;
  inspectionId?: string;
  /** A closure proposal's evidence (its titles) and who proposed it: what an evidence-review email names. */
  evidence?: { titles: string[]; proposedBy: string | null };
  /**
   * The calendar event the deadline is (the feed's too): its subject (inspection for an action plan), version and last
   * change.
   */
  event?: { subjectId: string; sequence: number; changedAt: Date };
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
  /** iCalendar text: a reminder's deadlines (one event each), or a cancellation's one event. */
  icalEvents?: string;
  /** The iTIP method of `icalEvents`: PUBLISH (a reminder's attachment) or CANCEL (a cancellation's calendar part). */
  icalMethod?: 'PUBLISH' | 'CANCEL';
}
