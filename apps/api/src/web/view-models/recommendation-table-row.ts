// One recommendation as a row of a GOV.UK table: reference link, names, status tag, RAG, owner, deadline, lateness.
import type { RecommendationView } from '#application';
import { nextDeadlineAt, type RecommendationStatus } from '#domain';
import { NO_RECENT_PROGRESS, daysOverdueText, londonDate, ragTag, statusTag, type Tag } from './format.js';

export interface RecommendationTableRow {
  id: string;
  href: string;
  reference: string;
  /** The first words of the text, for recognising it in a list. */
  summary: string;
  organisationName?: string;
  inspectionTitle?: string;
  status: Tag;
  /** "No recent progress" when it applies. */
  flags: Tag[];
  rag: Tag;
  owner: string;
  dueDate: string;
  /** The next deadline still to be met (the action plan while issued), or empty. */
  nextDeadline: string;
  daysOverdue: string;
  /** For sorting by lateness: days overdue, -1 when not overdue. */
  daysOverdueSort: number;
}

const SUMMARY_LENGTH = 120;

export function recommendationTableRow(
  rec: RecommendationView & { organisationName?: string; inspectionTitle?: string },
): RecommendationTableRow {
  const next = nextDeadlineAt({
    status: rec.status as RecommendationStatus,
    actionPlanDueAt: new Date(rec.actionPlanDueAt),
    dueAt: new Date(rec.dueAt),
  });
  return {
    id: rec.id,
    href: `/recommendations/${rec.id}`,
    reference: rec.reference,
    summary: truncate(rec.text, SUMMARY_LENGTH),
    organisationName: rec.organisationName,
    inspectionTitle: rec.inspectionTitle,
    status: statusTag(rec.status, rec.overdue),
    flags: rec.noRecentProgress ? [NO_RECENT_PROGRESS] : [],
    rag: ragTag(rec.rag),
    owner: rec.owner ?? '',
    dueDate: londonDate(rec.dueAt),
    nextDeadline: next ? londonDate(next) : '',
    daysOverdue: daysOverdueText(rec.daysOverdue),
    daysOverdueSort: rec.daysOverdue ?? -1,
  };
}

export function truncate(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}
