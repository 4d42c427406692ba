// The notification ledger's lifecycle as data: a row's states and the only moves between them.

/**
 * A ledger row's state, stored in `notifications.status`: `scheduled` waits for its slot (or its retry_at);
 * `sending` is claimed by a worker (shown as `scheduled` over HTTP); `sent` was accepted by the SMTP server;
 * `failed` was refused for good or given up; `cancelled` is no longer due, or its recipient no longer receives it.
 */
export const NotificationStatus = {
  Scheduled: 'scheduled',
  Sending: 'sending',
  Sent: 'sent',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;
export type NotificationStatus = (typeof NotificationStatus)[keyof typeof NotificationStatus];
export const ALL_NOTIFICATION_STATUSES: readonly NotificationStatus[] = Object.values(NotificationStatus);

/**
 * What may happen to a ledger row; every write of `notifications.status` is one of these. The planner plans
 * and cancels stale rows; dispatch claims, cancels stale claimed rows, marks sent, retries later or fails;
 * the reconciler releases expired claims.
 */
export const LedgerMove = {
  Plan: 'plan',
  CancelStale: 'cancel_stale',
  Claim: 'claim',
  MarkSent: 'mark_sent',
  RetryLater: 'retry_later',
  Fail: 'fail',
  ReleaseExpiredClaim: 'release_expired_claim',
} as const;
export type LedgerMove = (typeof LedgerMove)[keyof typeof LedgerMove];
export const ALL_LEDGER_MOVES: readonly LedgerMove[] = Object.values(LedgerMove);

/** Where a move may start: a status, or `null` for a row not in the ledger yet. */
export type LedgerOrigin = NotificationStatus | null;

export interface LedgerTransition {
  move: LedgerMove;
  from: readonly LedgerOrigin[];
  to: NotificationStatus;
  /** Why the move exists, for the reader of the table. */
  why: string;
}

const S = NotificationStatus;

/**
 * The ledger, as data. `sent` and `failed` are final: nothing moves a row out of them, so a notice
 * recorded as sent is never sent again. Only the claim enters `sending`, so a row is sent only by the
 * worker that claimed it.
 */
export const LEDGER_TRANSITIONS: readonly LedgerTransition[] = [
  {
    move: LedgerMove.Plan,
    from: [null, S.Cancelled],
    to: S.Scheduled,
    why: 'a deadline calls for it; a restored deadline brings back a cancelled row',
  },
  {
    move: LedgerMove.CancelStale,
    from: [S.Scheduled, S.Sending],
    to: S.Cancelled,
    why: 'no longer due, or its recipient no longer receives it (checked again after the claim)',
  },
  { move: LedgerMove.Claim, from: [S.Scheduled], to: S.Sending, why: 'a worker takes its batch to send' },
  {
    move: LedgerMove.MarkSent,
    from: [S.Sending, S.Scheduled],
    to: S.Sent,
    why: 'the SMTP server accepted it (also after its claim expired and was released)',
  },
  {
    move: LedgerMove.RetryLater,
    from: [S.Sending],
    to: S.Scheduled,
    why: 'refused for now (4xx, no connection): tried again at retry_at',
  },
  {
    move: LedgerMove.Fail,
    from: [S.Sending],
    to: S.Failed,
    why: 'refused for good (5xx), or refused for now too often and for too long',
  },
  {
    move: LedgerMove.ReleaseExpiredClaim,
    from: [S.Sending],
    to: S.Scheduled,
    why: 'the worker that claimed it stopped before recording the result',
  },
];

const BY_MOVE = new Map(LEDGER_TRANSITIONS.map((t) => [t.move, t]));

export function ledgerTransition(move: LedgerMove): LedgerTransition {
  const transition = BY_MOVE.get(move);
  if (!transition) throw new Error(`unknown ledger move '${move}'`);
  return transition;
}

export function isLegalLedgerMove(from: LedgerOrigin, move: LedgerMove): boolean {
  return ledgerTransition(move).from.includes(from);
}

/**
 * The states a write of `move` may start from: all of the table's, or the given subset, which must be
 * legal. A writer that expects less than the table allows (the planner never cancels a row being sent)
 * names what it expects.
 */
export function ledgerMoveFrom(move: LedgerMove, expected?: readonly LedgerOrigin[]): readonly LedgerOrigin[] {
  const transition = ledgerTransition(move);
  const from = expected ?? transition.from;
  const illegal = from.filter((origin) => !transition.from.includes(origin));
  if (illegal.length > 0) throw new Error(`the ledger has no move '${move}' from ${illegal.join(', ')}`);
  return from;
}

/** The table as a Mermaid state diagram; docs/architecture.md shows exactly this (a unit test checks it). */
export function ledgerStateDiagram(): string {
  const edges = LEDGER_TRANSITIONS.flatMap((t) => t.from.map((from) => `  ${from ?? '[*]'} --> ${t.to}: ${t.move}`));
  return ['stateDiagram-v2', ...edges].join('\n');
}
