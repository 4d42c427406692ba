// What flows between the dispatch pipeline's stages: claimed rows, their recommendations, and each email's outcome.
import type { EmailContent } from '#notifications';
import type { ClaimedLedgerRow, DispatchRecommendation } from '#persistence';

/** A claimed row that must not be sent, and why (stored as its last_error). */
export interface Stale {
  id: string;
  reason: string;
}

/** One email, composed: `content` is null when every row turned out stale. */
export interface Prepared {
  content: EmailContent | null;
  /** The rows the email is about (not the stale ones). */
  rows: ClaimedLedgerRow[];
  recommendations: DispatchRecommendation[];
  stale: Stale[];
}

/** How one email ended. A round records every outcome together, in a few statements. */
export type Outcome =
  | { result: 'delivered'; messageId: string; prepared: Prepared }
  | { result: 'refused'; messageId: string; rows: ClaimedLedgerRow[]; err: unknown; permanent: boolean; stale: Stale[] }
  | { result: 'stale'; stale: Stale[] };

export type DeliveredOutcome = Extract<Outcome, { result: 'delivered' }>;
export type RefusedOutcome = Extract<Outcome, { result: 'refused' }>;

export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}
