// The kinds of notification, each defined once (NOTIFICATION_KINDS), the clocks they are about, and how a person takes
// reminders.
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
/** Every deadline type, in declaration order (the ledger's CHECK constraint lists them). */
export const ALL_DEADLINE_TYPES = Object.values(DeadlineType);

export const ReminderDelivery = { Immediate: 'immediate', DailyDigest: 'daily_digest' } as const;
export type ReminderDelivery = (typeof ReminderDelivery)[keyof typeof ReminderDelivery];

// Every kind, defined once: who receives it, when it is planned, how its email is put together, what follows its
// sending, and its names on the pages. Every per-kind map elsewhere is derived from this table or typed
// `Record<NotificationKind, …>`, so a kind that this table (or such a map) leaves out does not compile.

/**
 * Who may receive a row of a kind: the planner picks its recipients by these rules, and the one SQL rule that re-plans
 * people and is checked again before sending (RECIPIENT_ENTITLED_SQL, in persistence) is built from them.
 */
export type NotificationAudience =
  /** A liaison officer of the recommendation's force. */
  | 'force_liaison'
  /** The lead inspector of the recommendation's inspection. */
  | 'lead_inspector'
  /** A manager who sees the recommendation's force. */
  | 'manager_seeing_force'
  /** Any manager (what a weekly summary covers is checked when it is sent). */
  | 'manager'
  /** Anyone who belongs to the recommendation's force (its liaisons, and its owner when a user of the force). */
  | 'force_member'
  /** Whoever the row names, while active, whatever their role or forces now. */
  | 'recipient_named';

/**
 * When rows of a kind are planned. `deadlines`: from each active deadline of a recommendation, whenever it or its
 * people
 * change (planRecommendationNotifications), by one of the rules there (DEADLINE_RULES): `before` at each
 * REMINDER_OFFSETS
 * before it (held for the send window or the daily digest, dropped if held past it), `at` once at it, `ladder`
 * ESCALATE_AFTER it and then every ESCALATE_EVERY while overdue. `event`: by the domain function named, on that event.
 */
export type NotificationPlanning =
  { from: 'deadlines'; rule: 'before' | 'at' | 'ladder' } | { from: 'event'; by: string };

export interface NotificationKindDefinition {
  audience: readonly NotificationAudience[];
  planning: NotificationPlanning;
  email: {
    /**
     * What the worker reads to compose it: rows about recommendations, the decisions they tell of, or what is overdue
     * now.
     */
    compose: 'recommendations' | 'decisions' | 'weekly_summary';
    /** Each item says how many days its deadline is overdue. */
    daysOverdue: boolean;
    /** Each item names its recommendation's evidence files (type, size, scan). */
    evidenceFiles: boolean;
    /** The iCalendar part: the deadlines' events (PUBLISH, attached), the event that went away (CANCEL), or none. */
    calendar: 'publish' | 'cancel' | null;
    /** The list the email links to: the force's overdue list, or the inspection (My work when several). */
    list: 'overdue' | 'inspection';
  };
  afterSent: {
    /** Sending one plans the next: the next escalation step, the next stale period. */
    next: 'escalation_step' | 'stale_period' | null;
    /** The webhook event the first such notice of a deadline emits. */
    webhook: 'overdue' | 'escalated' | null;
  };
  /** Its names on the pages: the recommendation page's notification log, the readiness pack. */
  labels: { log: string; readiness: string };
}

const NO_FOLLOW_UP = { next: null, webhook: null } as const;

export const NOTIFICATION_KINDS: { readonly [K in NotificationKind]: NotificationKindDefinition } = {
  [NotificationKind.Reminder]: {
    audience: ['force_liaison'],
    planning: { from: 'deadlines', rule: 'before' },
    email: {
      compose: 'recommendations',
      daysOverdue: false,
      evidenceFiles: false,
      calendar: 'publish',
      list: 'inspection',
    },
    afterSent: NO_FOLLOW_UP,
    labels: { log: 'Reminder', readiness: 'Reminder' },
  },
  [NotificationKind.Overdue]: {
    audience: ['force_liaison', 'lead_inspector'],
    planning: { from: 'deadlines', rule: 'at' },
    email: { compose: 'recommendations', daysOverdue: true, evidenceFiles: false, calendar: null, list: 'inspection' },
    afterSent: { next: null, webhook: 'overdue' },
    labels: { log: 'Overdue notice', readiness: 'Overdue notice' },
  },
  [NotificationKind.Escalation]: {
    audience: ['manager_seeing_force'],
    planning: { from: 'deadlines', rule: 'ladder' }, // each step sent plans the next (nextEscalation)
    email: { compose: 'recommendations', daysOverdue: true, evidenceFiles: false, calendar: null, list: 'overdue' },
    afterSent: { next: 'escalation_step', webhook: 'escalated' },
    labels: { log: 'Escalation', readiness: 'Escalation' },
  },
  [NotificationKind.ReviewNeeded]: {
    audience: ['lead_inspector'],
    planning: { from: 'event', by: 'planReviewNeeded, when a liaison proposes closure' },
    email: { compose: 'recommendations', daysOverdue: false, evidenceFiles: true, calendar: null, list: 'inspection' },
    afterSent: NO_FOLLOW_UP,
    labels: { log: 'Review needed', readiness: 'Evidence to review' },
  },
  [NotificationKind.OverdueSummary]: {
    audience: ['manager'],
    planning: {
      from: 'event',
      by: 'the worker’s weekly summary job, Monday 08:00 London: one row per force of each manager',
    },
    email: { compose: 'weekly_summary', daysOverdue: true, evidenceFiles: false, calendar: null, list: 'overdue' },
    afterSent: NO_FOLLOW_UP,
    labels: { log: 'Weekly overdue summary', readiness: 'Weekly summary' },
  },
  [NotificationKind.Decision]: {
    audience: ['force_member'],
    planning: {
      from: 'event',
      by: 'planDecisionNotices, when an inspector returns, authorises closure, closes or reopens',
    },
    email: { compose: 'decisions', daysOverdue: false, evidenceFiles: false, calendar: null, list: 'inspection' },
    afterSent: NO_FOLLOW_UP,
    labels: { log: 'Decision', readiness: 'Decision' },
  },
  [NotificationKind.Stale]: {
    audience: ['force_liaison'],
    planning: {
      from: 'event',
      by: 'planStaleNudges, STALE_AFTER a planned recommendation’s last progress; then nextStaleNudge each period',
    },
    email: { compose: 'recommendations', daysOverdue: false, evidenceFiles: false, calendar: null, list: 'inspection' },
    afterSent: { next: 'stale_period', webhook: null },
    labels: { log: 'No recent progress reminder', readiness: 'No recent progress reminder' },
  },
  [NotificationKind.CalendarCancel]: {
    audience: ['recipient_named'],
    planning: { from: 'event', by: 'planCalendarCancels, when an event a sent reminder carried goes away for good' },
    email: {
      compose: 'recommendations',
      daysOverdue: false,
      evidenceFiles: false,
      calendar: 'cancel',
      list: 'inspection',
    },
    afterSent: NO_FOLLOW_UP,
    labels: { log: 'Calendar event cancelled', readiness: 'Calendar event cancelled' },
  },
};

/** Every kind, in the table's order (the ledger's CHECK constraint lists them). */
export const ALL_NOTIFICATION_KINDS = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

/** The kinds whose definitions pass `test`. */
export function kindsWhere(test: (definition: NotificationKindDefinition) => boolean): NotificationKind[] {
  return ALL_NOTIFICATION_KINDS.filter((kind) => test(NOTIFICATION_KINDS[kind]));
}
