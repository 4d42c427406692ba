// What an email says, before rendering: its kind, recipient and the recommendations it is about.
import type { NotificationKind } from '#domain';

export type EmailDeadlineType = 'action_plan' | 'due_date' | 'closure_review';

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
  /** For the link to the list the email is about (the force's overdue list, the inspection). */
  organisationId?: string;
  inspectionId?: string;
  /** A closure proposal's evidence (its titles) and who proposed it: what an evidence-review email names. */
  evidence?: { titles: string[]; proposedBy: string | null };
  /** The calendar event the deadline is (the feed's too): its subject (inspection for an action plan), version and last change. */
  event?: { subjectId: string; sequence: number; changedAt: Date };
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
