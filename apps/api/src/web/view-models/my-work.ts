// "My work" as sections of tables, per role, from the application's MyWork lists.
import type { MyWork, WorkList } from '#application';
import { londonDate } from './format.js';
import { recommendationRow, type RecommendationRow } from './recommendation-row.js';
import { pageTitle } from '../page-title.js';

export interface WorkSection {
  id: string;
  heading: string;
  /** What an empty list means, in words. */
  empty: string;
  rows: RecommendationRow[];
  /** "Showing the first 20": more lie beyond the list. */
  more: string | null;
  /** Which columns this list shows. */
  columns: { organisation: boolean; deadline: boolean; overdue: boolean };
}

export interface MyWorkModel {
  pageTitle: string;
  intro: string;
  sections: WorkSection[];
  revisits?: { href: string; title: string; organisationName: string; revisitDate: string; open: number }[];
  overdueByOrganisation?: { organisationName: string; overdue: number }[];
  totalOverdue?: number;
  overdueLink?: string;
}

function section(id: string, heading: string, empty: string, list: WorkList, columns: WorkSection['columns']): WorkSection {
  return {
    id,
    heading,
    empty,
    rows: list.items.map(recommendationRow),
    more: list.more ? `Showing the first ${list.items.length}.` : null,
    columns,
  };
}

const ALL_COLUMNS = { organisation: true, deadline: true, overdue: true };

export function myWorkModel(work: MyWork): MyWorkModel {
  const base = { pageTitle: pageTitle('My work') };
  switch (work.role) {
    case 'liaison':
      return {
        ...base,
        intro: 'Recommendations to your force that need something from you.',
        sections: [
          section('overdue', 'Needs action now', 'Nothing is overdue.', work.overdue, ALL_COLUMNS),
          section('due-soon', `Deadlines in the next ${work.dueSoonDays} days`, `No deadlines in the next ${work.dueSoonDays} days.`, work.dueSoon, { ...ALL_COLUMNS, overdue: false }),
          section('returned', 'Returned to you', 'Nothing has been returned to you.', work.returned, ALL_COLUMNS),
        ],
      };
    case 'inspector':
      return {
        ...base,
        intro: 'Evidence and deadlines of the inspections you lead.',
        sections: [
          section('review', 'Evidence waiting for your review', 'No evidence is waiting for your review.', work.awaitingReview, { ...ALL_COLUMNS, overdue: false }),
          section('overdue', 'Overdue in your inspections', 'Nothing in your inspections is overdue.', work.overdue, ALL_COLUMNS),
        ],
        revisits: work.revisits.map((r) => ({
          href: `/inspections/${r.inspectionId}`,
          title: r.title,
          organisationName: r.organisationName,
          revisitDate: londonDate(r.revisitDueAt),
          open: r.openRecommendations,
        })),
        overdueLink: '/overdue',
      };
    default:
      return {
        ...base,
        intro: 'What is overdue in the forces you oversee.',
        sections: [section('oldest', 'Oldest overdue recommendations', 'Nothing is overdue.', work.oldest, ALL_COLUMNS)],
        overdueByOrganisation: work.overdueByOrganisation.map((o) => ({ organisationName: o.organisationName, overdue: o.overdue })),
        totalOverdue: work.totalOverdue,
        overdueLink: '/overdue',
      };
  }
}
