// The latest decision on a recommendation (its banner at the top of the page), and which evidence was returned or
// withdrawn.
import type { EvidenceView, HistoryEntry } from '#application';
import { isDecision } from '#domain';
import { londonDate, londonDateTime, outcomeText } from './format.js';

export interface DecisionBanner {
  /** e.g. `Closure returned to the force`. */
  title: string;
  /** e.g. `by Ines Inspector on 12 December 2026 at 10:15pm`. */
  byline: string;
  datetime: string;
  /** The reason's lines (line breaks kept as the inspector typed them); empty when none was given. */
  reason: string[];
}

/**
 * Text as lines, for a template to join with <br>: pre-wrap would also keep the indentation GOV.UK macros add to html.
 */
export function lines(text: string | null | undefined): string[] {
  return text ? text.replace(/\r\n?/g, '\n').split('\n') : [];
}

const DECISION_TITLES: Record<string, (changes: Record<string, unknown>) => string> = {
  return: () => 'Closure returned to the force',
  authorise_closure: () => 'Closure authorised: closed as implemented',
  close: (changes) => {
    const outcome = (changes.outcome as { to?: unknown } | undefined)?.to;
    /* eslint-disable @typescript-eslint/no-base-to-string -- an audit entry of any shape is shown as its text */
    return outcome === 'superseded'
      ? 'Closed as superseded'
      : `Closed without implementation${outcome ? ` (${outcomeText(String(outcome)).toLowerCase()})` : ''}`;
    /* eslint-enable @typescript-eslint/no-base-to-string */
  },
  reopen: () => 'Reopened',
};

/** The newest decision in `history` (oldest first), for the banner; null when there has been none. */
export function latestDecision(
  history: readonly HistoryEntry[],
  names: ReadonlyMap<string, string>,
): DecisionBanner | null {
  const entry = [...history].reverse().find((h) => isDecision(h.action));
  if (!entry) return null;
  const by = entry.actorId ? (names.get(entry.actorId) ?? 'a former user') : 'the system';
  return {
    title: (DECISION_TITLES[entry.action] ?? (() => 'Decision'))(entry.changes ?? {}),
    byline: `by ${by} on ${londonDateTime(entry.at)}`,
    datetime: entry.at,
    reason: lines(entry.comment),
  };
}

/** What became of an item of evidence: returned by the inspector, or withdrawn by the force; null while it stands. */
export function evidenceFate(
  evidence: Pick<EvidenceView, 'createdAt'>,
  history: readonly HistoryEntry[],
): { text: string; classes: string } | null {
  const submitted = Date.parse(evidence.createdAt);
  const ended = history.find(
    (h) => (h.action === 'return' || h.action === 'withdraw_closure') && Date.parse(h.at) >= submitted,
  );
  if (!ended) return null;
  return ended.action === 'return'
    ? { text: `Returned on ${londonDate(ended.at)}`, classes: 'govuk-tag--orange' }
    : { text: `Withdrawn on ${londonDate(ended.at)}`, classes: 'govuk-tag--grey' };
}
