// Dispatch, stage 3 for decision notices (pure): the claimed rows, their recommendations and the decisions they tell of
// in, one email out.
import { NotificationKind } from '#domain';
import type { EmailItem } from '#notifications';
import type { DispatchDecision, ClaimedLedgerRow, DispatchRecommendation } from '#persistence';
import type { Prepared, Stale } from './dispatch-rows.js';

/**
 * How a round finds the decision a row tells of: its recommendation and the moment it was made (the row's deadline).
 */
export function decisionKey(recommendationId: string, at: Date): string {
  return `${recommendationId}|${at.getTime()}`;
}

/**
 * One email telling the force of each decision its rows name; a row whose recommendation or decision is gone is stale.
 */
export function composeDecisionEmail(
  rows: readonly ClaimedLedgerRow[],
  recommendations: ReadonlyMap<string, DispatchRecommendation>,
  decisions: ReadonlyMap<string, DispatchDecision>,
  appBaseUrl: string,
): Prepared {
  const due: { row: ClaimedLedgerRow; rec: DispatchRecommendation; decision: DispatchDecision }[] = [];
  const stale: Stale[] = [];
  for (const row of rows) {
    const rec = row.recommendationId ? recommendations.get(row.recommendationId) : undefined;
    const decision = rec ? decisions.get(decisionKey(rec.id, row.deadlineAt)) : undefined;
    if (!rec) stale.push({ id: row.id, reason: 'stale: the recommendation no longer exists' });
    else if (!decision) stale.push({ id: row.id, reason: 'stale: the decision it tells of is not in the audit log' });
    else due.push({ row, rec, decision });
  }
  if (due.length === 0) return { content: null, rows: [], recommendations: [], stale };
  const items: EmailItem[] = due.map(({ row, rec, decision }) => ({
    recommendationId: rec.id,
    organisationName: rec.organisationName,
    inspectionTitle: rec.inspectionTitle,
    reference: rec.reference,
    recommendationText: rec.text,
    priority: rec.priority,
    deadlineType: 'decision',
    deadlineAt: row.deadlineAt,
    daysOverdue: null,
    decision: {
      action: decision.action,
      outcome: decision.outcome,
      by: decision.actorName ?? 'a former user',
      reason: decision.comment,
    },
  }));
  const first = rows[0];
  return {
    content: {
      kind: NotificationKind.Decision,
      recipient: { name: first.recipientName ?? first.recipientEmail, email: first.recipientEmail },
      items,
      appBaseUrl,
    },
    rows: due.map((d) => d.row),
    recommendations: due.map((d) => d.rec),
    stale,
  };
}
