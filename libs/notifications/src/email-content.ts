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
  /** Evidence files the email names (review alerts): each with its type, size and scan result in words. */
  evidenceFiles?: { name: string; description: string }[];
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
