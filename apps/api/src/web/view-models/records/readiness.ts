// The readiness pack page's view model: every recommendation's whole story, in words, for printing.
import type { ReadinessPack } from '#application';
import {
  calendarDate,
  humanise,
  kindLabel,
  londonDate,
  londonDateTime,
  outcomeText,
  ragTag,
  responseText,
  statusTag,
} from '../format.js';
import { pageTitle } from '../../page-title.js';
import { historyActionLabel } from '../recommendation-page.js';

const FIELD_NAMES: Record<string, string> = {
  dueAt: 'Due date',
  actionPlanDueAt: 'Action plan due',
  targetDate: 'Target date',
};

/** A date of either kind: a plain calendar date (`2027-03-31`) or an instant. */
const anyDate = (value: string | null): string =>
  value == null ? '' : /^\d{4}-\d{2}-\d{2}$/.test(value) ? calendarDate(value) : londonDate(value);

export function readinessModel(pack: ReadinessPack) {
  const i = pack.inspection;
  return {
    pageTitle: pageTitle('Revisit readiness pack', i.title),
    backLink: { href: `/inspections/${i.id}`, text: 'Back to the inspection' },
    title: i.title,
    organisationName: pack.organisation.name,
    csvHref: `/inspections/${i.id}/readiness.csv`,
    facts: [
      { key: 'Force', value: pack.organisation.name },
      { key: 'Programme', value: i.programme },
      { key: 'Lead inspector', value: pack.leadInspector },
      { key: 'Published', value: londonDate(i.publishedAt) },
      { key: 'Action plan due', value: londonDate(i.actionPlanDueAt) },
      { key: 'Revisit due', value: londonDate(i.revisitDueAt) },
      {
        key: 'Recommendations',
        value: `${pack.recommendations.length} (${pack.recommendations.filter((r) => r.status !== 'closed').length} open, ${pack.recommendations.filter((r) => r.overdue).length} overdue)`,
      },
      { key: 'Pack made', value: londonDateTime(pack.generatedAt) },
    ],
    recommendations: pack.recommendations.map((r) => ({
      id: r.id,
      anchor: `rec-${r.id}`,
      reference: r.reference,
      text: r.text,
      status: statusTag(r.status, r.overdue),
      facts: [
        { key: 'Area', value: r.area ?? '' },
        { key: 'Priority', value: r.priority ? 'Yes' : 'No' },
        { key: 'Outcome', value: outcomeText(r.outcome) },
        { key: 'Response', value: responseText(r.response) },
        { key: 'Owner', value: r.owner ?? '' },
        { key: 'Actions', value: r.actions ?? '' },
        { key: 'Target date', value: calendarDate(r.targetDate) },
        { key: 'RAG', value: r.rag ? ragTag(r.rag).text : 'Not rated' },
        { key: 'Due', value: londonDate(r.dueAt) },
        { key: 'Overdue', value: r.overdue ? `${r.daysOverdue} days` : 'No' },
      ].filter((f) => f.value !== ''),
      supersededBy: r.supersededById
        ? { href: `/recommendations/${r.supersededById}`, text: 'the recommendation that replaces it' }
        : null,
      supersedes: r.supersedes.map((id) => ({ href: `/recommendations/${id}` })),
      evidence: r.evidence.map((e) => ({
        title: e.title,
        url: e.url,
        note: e.note,
        by: e.submittedBy,
        at: londonDateTime(e.createdAt),
      })),
      dateChanges: r.dateChanges.map((c) => ({
        at: londonDateTime(c.at),
        field: FIELD_NAMES[c.field] ?? humanise(c.field),
        from: anyDate(c.from),
        to: anyDate(c.to),
        reason: c.reason ?? '',
      })),
      history: r.history.map((h) => ({
        at: londonDateTime(h.at),
        who: h.actor ?? 'The system',
        what:
          historyActionLabel(h.action) +
          (h.fromStatus && h.toStatus && h.toStatus !== h.fromStatus
            ? ` (${statusTag(h.fromStatus).text} → ${statusTag(h.toStatus).text})`
            : ''),
        comment: h.comment ?? '',
      })),
      notifications:
        r.notificationsSent?.map((n) => ({
          at: londonDateTime(n.sentAt),
          kind: kindLabel(n.kind, 'readiness'),
          to: n.recipient,
          deadline: `${humanise(n.deadlineType)} ${londonDate(n.deadlineAt)}`,
        })) ?? null,
    })),
  };
}
