// Dispatch, stage 3 (pure), continued: one recommendation's part of an email (its item, calendar event and evidence
// files), for compose.ts.
import type { ClaimedLedgerRow, DispatchRecommendation } from '#persistence';
import { DeadlineType } from '#domain';
import { SCAN_IN_WORDS, sizeInWords, typeInWords } from '#evidence';
import type { EmailItem } from '#notifications';

/**
 * The calendar feed's event for this deadline: an action plan belongs to the inspection, other deadlines to the
 * recommendation.
 */
export function eventOf(rec: DispatchRecommendation, deadlineType: string): EmailItem['event'] {
  return deadlineType === DeadlineType.ActionPlan
    ? { subjectId: rec.inspectionId, sequence: rec.inspectionVersion, changedAt: rec.inspectionUpdatedAt }
    : { subjectId: rec.id, sequence: rec.version, changedAt: rec.updatedAt };
}

/**
 * The event a cancellation withdraws: its SEQUENCE one above its subject's version now (versions only grow, so above
 * any
 * a reminder carried), its DTSTAMP the moment it went away (the row's send time: the same on every retry).
 */
export function cancelledEventOf(rec: DispatchRecommendation, row: ClaimedLedgerRow): EmailItem['event'] {
  const event = eventOf(rec, row.deadlineType)!;
  return { subjectId: event.subjectId, sequence: event.sequence + 1, changedAt: row.sendAt };
}

export function toDeadlines(rec: DispatchRecommendation) {
  return {
    status: rec.status,
    actionPlanDueAt: rec.actionPlanDueAt,
    dueAt: rec.dueAt,
    progressAt: rec.progressAt,
  };
}

/** The recommendation's evidence files, each described for the reviewer: "PDF, 14 KB, no viruses found". */
export function filesOf(rec: DispatchRecommendation): EmailItem['evidenceFiles'] {
  return (rec.evidenceFiles ?? []).map((f) => ({
    name: f.name,
    description: `${typeInWords(f.type)}, ${sizeInWords(Number(f.size))}, ${SCAN_IN_WORDS[f.scan]?.toLowerCase() ?? f.scan}`,
  }));
}

export function itemFor(rec: DispatchRecommendation): Omit<EmailItem, 'deadlineType' | 'deadlineAt' | 'daysOverdue'> {
  return {
    recommendationId: rec.id,
    organisationName: rec.organisationName,
    inspectionTitle: rec.inspectionTitle,
    reference: rec.reference,
    recommendationText: rec.text,
    priority: rec.priority,
    organisationId: rec.organisationId,
    inspectionId: rec.inspectionId,
    ...(rec.status === 'closure_proposed'
      ? { evidence: { titles: rec.evidenceTitles ?? [], proposedBy: rec.proposedBy ?? null } }
      : {}),
  };
}
