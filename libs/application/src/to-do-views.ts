// The shapes of My work (groups, items, deadlines, drafts, forces at risk, changes), its counts and its limits.
import type { DeadlineType, Role } from '#domain';

/** The groups of a to-do list, in the order the page shows them. */
export const LIAISON_GROUPS = ['returned', 'plan', 'progress'] as const;
export const INSPECTOR_GROUPS = ['review'] as const;
export type ToDoGroupId = (typeof LIAISON_GROUPS)[number] | (typeof INSPECTOR_GROUPS)[number];

/** At most this many items of one person's list are shown; the count says how many there are in all. */
export const TO_DO_LIMIT = 500;
export const CHANGES_LIMIT = 30;

export interface ToDoItem {
  id: string;
  reference: string;
  text: string;
  status: string;
  organisationName: string;
  inspectionId: string;
  inspectionTitle: string;
  /** Which deadline this item is about, and when it falls. */
  deadlineType: typeof DeadlineType.ActionPlan | typeof DeadlineType.DueDate;
  deadlineAt: string;
  overdue: boolean;
  daysOverdue: number | null;
  noRecentProgress: boolean;
  /** Since when it has waited, and for how many whole days. */
  waitingSince: string;
  waitingDays: number;
  /** A returned closure's reason; who proposed a closure. */
  detail: string | null;
}

export interface ToDoGroup {
  id: ToDoGroupId;
  /** Every item of the group (the list shows at most TO_DO_LIMIT in all). */
  count: number;
  items: ToDoItem[];
}

export interface InspectionDeadline {
  inspectionId: string;
  title: string;
  organisationName: string;
  open: number;
  overdue: number;
  /** The next deadlines still ahead, soonest first. */
  next: { what: 'action_plan' | 'due_date' | 'revisit' | 'commissioner_comments'; at: string }[];
}

/** A draft inspection its lead inspector has still to publish. */
export interface DraftToPublish {
  inspectionId: string;
  title: string;
  organisationName: string;
  recommendations: number;
}

export interface ForceAtRisk {
  organisationId: string;
  organisationName: string;
  overdue: number;
  noRecentProgress: number;
}

export interface Change {
  at: string;
  action: string;
  comment: string | null;
  actorName: string | null;
  recommendationId: string;
  reference: string;
  inspectionTitle: string;
  organisationName: string;
  /** A moved date: the new target date or due date, when the change moved one. */
  movedTo: string | null;
}

export interface Changes {
  /** The person's previous sign-in; null when there was none (nothing to compare with). */
  since: string | null;
  items: Change[];
}

export type MyWork =
  | { role: typeof Role.Liaison; groups: ToDoGroup[]; changes: Changes }
  | {
      role: typeof Role.Inspector;
      groups: ToDoGroup[];
      inspections: InspectionDeadline[];
      drafts: DraftToPublish[];
      changes: Changes;
    }
  | {
      role: typeof Role.Manager | typeof Role.Admin;
      forces: ForceAtRisk[];
      totalOverdue: number;
      totalNoRecentProgress: number;
      changes: Changes;
    };

/** The API's count of what waits on the caller: `total` is what My work lists. */
export interface WorkCounts {
  role: Role;
  total: number;
  groups: { id: string; count: number }[];
}
