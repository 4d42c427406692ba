// Dispatch, stage 3 (pure): a group of claimed rows and what they are about in, one email's content out; every kind,
// the weekly summary too.
import {
  DeadlineType,
  NOTIFICATION_KINDS,
  Role,
  activeDeadlines,
  isStillDue,
  visibleOrganisations,
  wholeDaysBetween,
} from '#domain';
import type { EmailContent, EmailDeadlineType, EmailItem } from '#notifications';
import type { ClaimedLedgerRow, DispatchRecommendation } from '#persistence';
import type { Prepared, Stale } from './dispatch-rows.js';
import { cancelledEventOf, eventOf, filesOf, itemFor, toDeadlines } from './compose-items.js';

/** A weekly summary lists the most overdue; the rest are one click away in the tracker. */
export const SUMMARY_MAX_ITEMS = 200;

/** What a weekly summary covers: a reason it must not go, or what is overdue in the forces its recipient sees. */
export type SummaryFacts = { stale: string } | { overdue: DispatchRecommendation[] };

/** A reminder, overdue notice, escalation or review alert: the rows still due, each with its recommendation. */
export function composeRecommendationEmail(
  rows: readonly ClaimedLedgerRow[],
  byId: ReadonlyMap<string, DispatchRecommendation>,
  now: Date,
  appBaseUrl: string,
): Prepared {
  const due: { row: ClaimedLedgerRow; rec: DispatchRecommendation }[] = [];
  const stale: Stale[] = [];
  for (const row of rows) {
    const rec = row.recommendationId ? byId.get(row.recommendationId) : undefined;
    if (!rec) {
      stale.push({ id: row.id, reason: 'stale: the recommendation no longer exists' });
    } else if (
      !isStillDue({ kind: row.kind, deadlineType: row.deadlineType, deadlineAt: row.deadlineAt }, toDeadlines(rec), now)
    ) {
      stale.push({
        id: row.id,
        reason: `stale: no longer due (${rec.reference} is ${rec.status}; its deadlines changed or passed)`,
      });
    } else {
      due.push({ row, rec });
    }
  }
  if (due.length === 0) return { content: null, rows: [], recommendations: [], stale };

  const overdueKind = NOTIFICATION_KINDS[rows[0].kind].email.daysOverdue;
  const items: EmailItem[] = due.map(({ row, rec }) => {
    const email = NOTIFICATION_KINDS[row.kind].email;
    return {
      ...itemFor(rec),
      ...(email.evidenceFiles ? { evidenceFiles: filesOf(rec) } : {}),
      deadlineType: row.deadlineType as EmailDeadlineType,
      deadlineAt: row.deadlineAt,
      daysOverdue: overdueKind ? wholeDaysBetween(row.deadlineAt, now) : null,
      ...(email.calendar === 'publish' ? { event: eventOf(rec, row.deadlineType) } : {}),
      ...(email.calendar === 'cancel' ? { event: cancelledEventOf(rec, row) } : {}),
    };
  });
  return {
    content: contentFor(rows[0], items, appBaseUrl),
    rows: due.map((d) => d.row),
    recommendations: due.map((d) => d.rec),
    stale,
  };
}

/** The weekly summary: what the manager may see that is overdue now, most overdue first. */
export function composeSummaryEmail(
  rows: ClaimedLedgerRow[],
  facts: SummaryFacts,
  now: Date,
  appBaseUrl: string,
): Prepared {
  if ('stale' in facts) return allStale(rows, facts.stale);
  if (facts.overdue.length === 0) return allStale(rows, 'nothing overdue to summarise');
  const items = facts.overdue.map((rec): EmailItem => {
    // The earliest active deadline is the one missed first: the one the overdue list sorts by.
    const missed = activeDeadlines(toDeadlines(rec)).find((d) => d.at.getTime() === rec.nextDeadlineAt?.getTime());
    const deadlineAt = missed?.at ?? rec.nextDeadlineAt ?? rec.dueAt;
    return {
      ...itemFor(rec),
      deadlineType: missed?.type ?? DeadlineType.DueDate,
      deadlineAt,
      daysOverdue: wholeDaysBetween(deadlineAt, now),
    };
  });
  return { content: contentFor(rows[0], items, appBaseUrl), rows, recommendations: [], stale: [] };
}

/**
 * Whom a summary may still go to, and which organisations it covers: those its rows name (one row per
 * organisation of a scoped manager), as far as the manager still sees them; a row for every organisation
 * leaves what they see now.
 */
export function summaryScope(
  rows: readonly ClaimedLedgerRow[],
  recipient: { role: Role; organisationIds: string[]; allOrganisations?: boolean } | undefined,
): { stale: string } | { organisations: 'all' | readonly string[] } {
  if (!recipient || recipient.role !== Role.Manager) return { stale: 'stale: the recipient is no longer a manager' };
  const visible = visibleOrganisations({
    id: rows[0].recipientId,
    role: recipient.role,
    organisationIds: recipient.organisationIds,
    allOrganisations: recipient.allOrganisations,
  });
  const organisations = rows.some((r) => r.organisationId === null)
    ? visible
    : [...new Set(rows.map((r) => r.organisationId as string))].filter(
        (id) => visible === 'all' || visible.includes(id),
      );
  if (organisations !== 'all' && organisations.length === 0)
    return { stale: 'stale: the recipient no longer sees these organisations' };
  return { organisations };
}

function allStale(rows: readonly ClaimedLedgerRow[], reason: string): Prepared {
  return { content: null, rows: [], recommendations: [], stale: rows.map((r) => ({ id: r.id, reason })) };
}

function contentFor(row: ClaimedLedgerRow, items: EmailItem[], appBaseUrl: string): EmailContent {
  return {
    kind: row.kind,
    // The ledger's address: the ledger says who was told, so that is where the email goes.
    recipient: { name: row.recipientName ?? row.recipientEmail, email: row.recipientEmail },
    items,
    appBaseUrl,
  };
}
