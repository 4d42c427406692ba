// The check-your-answers page of a decision (the decision question, Close recommendation, Reopen): what will be saved,
// each with a Change link.
import type { RecommendationDetail } from '#application';
import type { PendingDecision } from '../forms/decision.form.js';
import { DECIDE, DECISION_CHOICES } from '../forms/transition-forms.js';
import { pageTitle } from '../page-title.js';
import { evidenceFate, lines } from './decisions.js';
import { londonDateTime, outcomeText } from './format.js';

const DECISION_TEXT: Record<string, string> = {
  ...Object.fromEntries(DECISION_CHOICES),
  close: 'Close without implementation',
  reopen: 'Reopen',
};

export interface DecisionConfirmationInput {
  rec: RecommendationDetail;
  inspection: { id: string; title: string };
  pending: PendingDecision;
  userNames: ReadonlyMap<string, string>;
}

export function decisionConfirmationModel({ rec, inspection, pending, userNames }: DecisionConfirmationInput) {
  const page = `/recommendations/${rec.id}`;
  // Back to the form the decision came from, filled in as it was.
  const change = `${page}?change=decision#${pending.form}-heading`;
  const rows: { key: string; lines: string[]; change: { href: string; hidden: string } }[] = [
    {
      key: 'Decision',
      lines: [DECISION_TEXT[pending.action] ?? pending.action],
      change: { href: change, hidden: 'decision' },
    },
    ...(pending.outcome
      ? [{ key: 'Outcome', lines: [outcomeText(pending.outcome)], change: { href: change, hidden: 'outcome' } }]
      : []),
    {
      key: 'Reason',
      lines: pending.comment ? lines(pending.comment) : ['None given'],
      change: { href: change, hidden: 'reason' },
    },
  ];
  return {
    pageTitle: pageTitle('Check your decision', `Recommendation ${rec.reference}`, inspection.title),
    id: rec.id,
    reference: rec.reference,
    text: rec.text,
    inspectionTitle: inspection.title,
    rows,
    // The evidence the decision is about (the closure proposal's): shown again so the decision is made looking at it.
    // Evidence files (the evidence work) are listed with each item here as well.
    evidence:
      pending.form === DECIDE
        ? rec.evidence
            .filter((e) => evidenceFate(e, rec.history) === null)
            .map((e) => ({
              title: e.title,
              url: e.url && /^https?:\/\//i.test(e.url) ? e.url : null,
              note: e.note,
              by: userNames.get(e.submittedBy) ?? 'a former user',
              when: londonDateTime(e.createdAt),
            }))
        : [],
    tellsForce: true,
    backLink: { href: change, text: 'Back' },
    cancel: { href: page, text: `Cancel and return to recommendation ${rec.reference}` },
  };
}
