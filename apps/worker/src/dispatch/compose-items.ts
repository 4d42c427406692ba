// Dispatch, stage 3 (pure), continued: one recommendation's part of an email (its item, calendar event and evidence
// files), for compose.ts.
import { DeadlineType } from '#domain';
import { SCAN_IN_WORDS, sizeInWords, typeInWords } from '#evidence';
import type { EmailItem } from '#notifications';
import type { ClaimedRow, RecommendationRow } from './dispatch-rows.js';

/**
 * The calendar feed's event for this deadline: an action plan belongs to the inspection, other deadlines to the
 * recommendation.
 */
export function eventOf(rec: RecommendationRow, deadlineType: string): EmailItem['event'] {
  return deadlineType === DeadlineType.ActionPlan
    ? { subjectId: rec.inspection_id, sequence: rec.inspection_version, changedAt: rec.inspection_updated_at }
    : { subjectId: rec.id, sequence: rec.version, changedAt: rec.updated_at };
}

/**
 * The event a cancellation withdraws: its SEQUENCE one above its subject's version now (versions only grow, so above
 * any
 * a reminder carried), its DTSTAMP the moment it went away (the row's send time: the same on every retry).
 */
export function cancelledEventOf(rec: RecommendationRow, row: ClaimedRow): EmailItem['event'] {
  const event = eventOf(rec, row.deadline_type)!;
  return { subjectId: event.subjectId, sequence: event.sequence + 1, changedAt: row.send_at };
}

export function toDeadlines(rec: RecommendationRow) {
  return {
    status: rec.status,
    actionPlanDueAt: rec.action_plan_due_at,
    dueAt: rec.due_at,
    progressAt: rec.progress_at,
  };
}

/** The recommendation's evidence files, each described for the reviewer: "PDF, 14 KB, no viruses found". */
export function filesOf(rec: RecommendationRow): EmailItem['evidenceFiles'] {
  return (rec.evidence_files ?? []).map((f) => ({
    name: f.name,
    description: `${typeInWords(f.type)}, ${sizeInWords(Number(f.size))}, ${SCAN_IN_WORDS[f.scan]?.toLowerCase() ?? f.scan}`,
  }));
}

export function itemFor(rec: RecommendationRow): Omit<EmailItem, 'deadlineType' | 'deadlineAt' | 'daysOverdue'> {
  return {
    recommendationId: rec.id,
    organisationName: rec.organisation_name,
    inspectionTitle: rec.inspection_title,
    reference: rec.reference,
    recommendationText: rec.text,
    priority: rec.priority,
    organisationId: rec.organisation_id,
    inspectionId: rec.inspection_id,
    ...(rec.status === 'closure_proposed'
      ? { evidence: { titles: rec.evidence_titles ?? [], proposedBy: rec.proposed_by ?? null } }
      : {}),
  };
}
