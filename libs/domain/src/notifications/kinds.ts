// The kinds of notification, the clocks they are about, and how a person takes reminders.
/** The `X-Followup-Kind` of every email; stored in the ledger. Values are part of the HTTP contract. */
export const NotificationKind = {
  Reminder: 'reminder',
  Overdue: 'overdue',
  Escalation: 'escalation',
  ReviewNeeded: 'review_needed',
  /** Weekly summary of what is overdue, to managers (an extension of the contract's kinds). */
  OverdueSummary: 'overdue_summary',
  /** An inspector's decision (returned, closure authorised, closed, reopened), to the force at once (contract v2). */
  Decision: 'decision',
  /** "No recent progress": a planned recommendation not updated for STALE_AFTER, to the force's liaison officers. */
  Stale: 'stale',
  /**
   * A reminder's calendar event went away for good (its recommendation closed, or no recommendation of the inspection
   * still waits for an action plan): a METHOD:CANCEL to each person whose reminder carried it, once.
   */
  CalendarCancel: 'calendar_cancel',
} as const;
export type NotificationKind = (typeof NotificationKind)[keyof typeof NotificationKind];

/** Which clock a notification is about. */
export const DeadlineType = {
  ActionPlan: 'action_plan',
  DueDate: 'due_date',
  ClosureReview: 'closure_review',
  WeeklySummary: 'weekly_summary',
  /** A decision notice: its "deadline" is the moment the decision was made. */
  Decision: 'decision',
  /** A stale nudge's "deadline" is the moment of the last progress it counts from. */
  NoProgress: 'no_progress',
} as const;
export type DeadlineType = (typeof DeadlineType)[keyof typeof DeadlineType];

export const ReminderDelivery = { Immediate: 'immediate', DailyDigest: 'daily_digest' } as const;
export type ReminderDelivery = (typeof ReminderDelivery)[keyof typeof ReminderDelivery];
