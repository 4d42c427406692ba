// "My work" as the person's to-do list, grouped by what to do, with what changed since their last visit (from
// ToDoService).
import type { Change, Changes, MyWork, ToDoGroup, ToDoItem } from '#application';
import {
  NO_RECENT_PROGRESS,
  calendarDate,
  daysOverdueText,
  londonDate,
  londonDateTime,
  type Tag,
  waitingText,
} from './format.js';
import { truncate } from './recommendation-table-row.js';
import { pageTitle } from '../page-title.js';

export interface ToDoRowModel {
  href: string;
  reference: string;
  summary: string;
  organisationName: string;
  inspectionTitle: string;
  deadlineLabel: string;
  deadlineDate: string;
  /** Red "12 days overdue" or nothing. */
  overdue: string;
  tags: Tag[];
  waitingLabel: string;
  waiting: string;
  detail: string | null;
}

export interface ToDoSection {
  id: string;
  heading: string;
  /** What to do about each item, in words. */
  hint: string;
  count: number;
  empty: string;
  rows: ToDoRowModel[];
  /** When the list stops short of the count. */
  more: string | null;
}

export interface ChangeModel {
  when: string;
  href: string;
  reference: string;
  where: string;
  what: string;
  comment: string | null;
}

export interface MyWorkModel {
  pageTitle: string;
  intro: string;
  /** Everything waiting on the person, in one number (what GET /work calls `total`). */
  total: number;
  totalText: string;
  sections: ToDoSection[];
  drafts?: { href: string; title: string; organisationName: string; recommendations: string }[];
  inspections?: {
    href: string;
    title: string;
    organisationName: string;
    open: number;
    overdue: number;
    next: string;
    later: string[];
  }[];
  forces?: {
    organisationName: string;
    overdue: number;
    overdueHref: string;
    noRecentProgress: number;
    noRecentProgressHref: string;
  }[];
  totalOverdue?: number;
  totalNoRecentProgress?: number;
  changes: { since: string | null; items: ChangeModel[] };
}

const SECTIONS: Record<ToDoGroup['id'], { heading: string; hint: string; empty: string; waitingLabel: string }> = {
  returned: {
    heading: 'Closures returned to you',
    hint: 'The inspector returned the closure: read the reason, then update the progress or propose closure again.',
    empty: 'No closure has been returned to you.',
    waitingLabel: 'Returned',
  },
  plan: {
    heading: 'Action plans to submit',
    hint: 'Submit the action plan for each recommendation.',
    empty: 'No action plan is waiting to be submitted.',
    waitingLabel: 'Issued',
  },
  progress: {
    heading: 'Progress to update',
    hint: 'Update the progress of each recommendation, or propose closure when the work is done.',
    empty: 'No planned recommendation is waiting for you.',
    waitingLabel: 'Last progress',
  },
  review: {
    heading: 'Evidence waiting for your review',
    hint: 'Decide on each closure the force proposed.',
    empty: 'No evidence is waiting for your review.',
    waitingLabel: 'Submitted',
  },
};

const DEADLINES: Record<string, string> = {
  action_plan: 'Action plan due',
  due_date: 'Due date',
  revisit: 'Revisit',
  commissioner_comments: 'Commissioner’s comments due',
};

const CHANGE_TEXT: Record<string, string> = {
  return: 'Closure returned to the force',
  authorise_closure: 'Closure authorised',
  close: 'Closed without implementation',
  reopen: 'Reopened',
  submit_plan: 'Action plan submitted',
  amend_plan: 'Action plan amended',
  update_progress: 'Progress updated',
  propose_closure: 'Closure proposed with new evidence',
  withdraw_closure: 'Closure proposal withdrawn',
  'recommendation.deadlines_recomputed': 'Deadlines moved',
  'recommendation.issued': 'New recommendation issued',
  'recommendation.published': 'New recommendation published',
};

function row(item: ToDoItem, waitingLabel: string, group: ToDoGroup['id']): ToDoRowModel {
  const tags: Tag[] = [];
  if (item.noRecentProgress) tags.push(NO_RECENT_PROGRESS);
  return {
    href: `/recommendations/${item.id}`,
    reference: item.reference,
    summary: truncate(item.text, 120),
    organisationName: item.organisationName,
    inspectionTitle: item.inspectionTitle,
    deadlineLabel: DEADLINES[item.deadlineType],
    deadlineDate: londonDate(item.deadlineAt),
    overdue: item.overdue ? daysOverdueText(item.daysOverdue) : '',
    tags,
    waitingLabel,
    waiting: `${londonDate(item.waitingSince)} (${item.waitingDays > 0 ? `${waitingText(item.waitingDays)} ago` : 'today'})`,
    detail: item.detail
      ? group === 'review'
        ? `Proposed by ${item.detail}`
        : `Reason: ${truncate(item.detail, 200)}`
      : null,
  };
}

function section(group: ToDoGroup): ToDoSection {
  const text = SECTIONS[group.id];
  return {
    id: group.id,
    heading: text.heading,
    hint: text.hint,
    count: group.count,
    empty: text.empty,
    rows: group.items.map((item) => row(item, text.waitingLabel, group.id)),
    more: group.items.length < group.count ? `Showing ${group.items.length} of ${group.count}.` : null,
  };
}

export function changeModel(c: Change): ChangeModel {
  const what = CHANGE_TEXT[c.action] ?? 'Changed';
  const moved = c.movedTo ? ` (now ${c.movedTo.length === 10 ? calendarDate(c.movedTo) : londonDate(c.movedTo)})` : '';
  return {
    when: londonDateTime(c.at),
    href: `/recommendations/${c.recommendationId}`,
    reference: c.reference,
    where: `${c.organisationName}, ${c.inspectionTitle}`,
    what: `${what}${moved}${c.actorName ? ` by ${c.actorName}` : ''}`,
    comment: c.action === 'recommendation.deadlines_recomputed' ? null : c.comment,
  };
}

function changes(c: Changes): MyWorkModel['changes'] {
  return { since: c.since ? londonDateTime(c.since) : null, items: c.items.map(changeModel) };
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

export function myWorkModel(work: MyWork): MyWorkModel {
  const base = { pageTitle: pageTitle('My work'), changes: changes(work.changes) };
  switch (work.role) {
    case 'liaison':
    case 'inspector': {
      const total = work.groups.reduce((sum, g) => sum + g.count, 0);
      const model: MyWorkModel = {
        ...base,
        intro:
          work.role === 'liaison'
            ? 'Everything your force needs to do, whatever its deadline.'
            : 'Everything waiting for your decision, and the next deadlines of the inspections you lead.',
        total,
        totalText:
          total === 0
            ? 'Nothing is waiting for you.'
            : `${count(total, 'recommendation is', 'recommendations are')} waiting for you.`,
        sections: work.groups.map(section),
      };
      if (work.role === 'inspector') {
        model.drafts = work.drafts.map((d) => ({
          href: `/inspections/${d.inspectionId}`,
          title: d.title,
          organisationName: d.organisationName,
          recommendations: count(d.recommendations, 'recommendation', 'recommendations'),
        }));
        model.inspections = work.inspections.map((i) => ({
          href: `/inspections/${i.inspectionId}`,
          title: i.title,
          organisationName: i.organisationName,
          open: i.open,
          overdue: i.overdue,
          next: i.next[0] ? `${DEADLINES[i.next[0].what]}: ${londonDate(i.next[0].at)}` : 'No deadline ahead',
          later: i.next.slice(1).map((n) => `${DEADLINES[n.what]}: ${londonDate(n.at)}`),
        }));
      }
      return model;
    }
    default:
      return {
        ...base,
        intro: 'What is overdue, or has had no recent progress, in the forces you oversee.',
        total: work.totalOverdue,
        totalText: `${count(work.totalOverdue, 'recommendation is', 'recommendations are')} overdue; ${count(work.totalNoRecentProgress, 'has', 'have')} had no recent progress.`,
        sections: [],
        forces: work.forces.map((f) => ({
          organisationName: f.organisationName,
          overdue: f.overdue,
          overdueHref: `/overdue?force=${f.organisationId}`,
          noRecentProgress: f.noRecentProgress,
          noRecentProgressHref: `/dashboard/list?organisationId=${f.organisationId}&noRecentProgress=true`,
        })),
        totalOverdue: work.totalOverdue,
        totalNoRecentProgress: work.totalNoRecentProgress,
      };
  }
}
