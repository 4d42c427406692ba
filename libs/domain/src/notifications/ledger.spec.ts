// The ledger's lifecycle: every state × move, written out independently of the table, and the diagram in the docs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  ALL_LEDGER_MOVES,
  ALL_NOTIFICATION_STATUSES,
  LEDGER_TRANSITIONS,
  LedgerMove as M,
  NotificationStatus as S,
  isLegalLedgerMove,
  ledgerMoveFrom,
  ledgerStateDiagram,
  ledgerTransition,
  type LedgerMove,
  type LedgerOrigin,
  type NotificationStatus,
} from './ledger.js';

/** What the dispatcher, the planner and the reconciler may do to a row, written out by hand. */
const EXPECTED: Record<LedgerMove, { from: LedgerOrigin[]; to: NotificationStatus }> = {
  plan: { from: [null, S.Cancelled], to: S.Scheduled },
  cancel_stale: { from: [S.Scheduled, S.Sending], to: S.Cancelled },
  claim: { from: [S.Scheduled], to: S.Sending },
  mark_sent: { from: [S.Sending, S.Scheduled], to: S.Sent },
  retry_later: { from: [S.Sending], to: S.Scheduled },
  fail: { from: [S.Sending], to: S.Failed },
  release_expired_claim: { from: [S.Sending], to: S.Scheduled },
};

const ORIGINS: LedgerOrigin[] = [null, ...ALL_NOTIFICATION_STATUSES];

describe('the ledger, every origin × move', () => {
  for (const origin of ORIGINS) {
    for (const move of ALL_LEDGER_MOVES) {
      const legal = EXPECTED[move].from.includes(origin);
      it(`${origin ?? '(no row)'} × ${move}: ${legal ? `→ ${EXPECTED[move].to}` : 'refused'}`, () => {
        expect(isLegalLedgerMove(origin, move)).toBe(legal);
        if (legal) expect(ledgerTransition(move).to).toBe(EXPECTED[move].to);
        else expect(() => ledgerMoveFrom(move, [origin])).toThrow(/the ledger has no move/);
      });
    }
  }

  it('has one row per move, and no move the list does not name', () => {
    expect(LEDGER_TRANSITIONS.map((t) => t.move).sort()).toEqual([...ALL_LEDGER_MOVES].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...ALL_LEDGER_MOVES].sort());
  });

  it('never moves a row out of sent or failed, and enters sending only by a claim', () => {
    const out = (status: NotificationStatus) => LEDGER_TRANSITIONS.filter((t) => t.from.includes(status));
    expect(out(S.Sent)).toEqual([]);
    expect(out(S.Failed)).toEqual([]);
    expect(LEDGER_TRANSITIONS.filter((t) => t.to === S.Sending).map((t) => t.move)).toEqual([M.Claim]);
  });

  it('reaches every state from a new row', () => {
    const reached = new Set<LedgerOrigin>([null]);
    for (let grew = true; grew;) {
      grew = false;
      for (const t of LEDGER_TRANSITIONS) {
        if (t.from.some((f) => reached.has(f)) && !reached.has(t.to)) {
          reached.add(t.to);
          grew = true;
        }
      }
    }
    expect([...reached].filter((s) => s !== null).sort()).toEqual([...ALL_NOTIFICATION_STATUSES].sort());
  });

  it('lets a writer expect less than the table allows, never more', () => {
    expect(ledgerMoveFrom(M.CancelStale)).toEqual([S.Scheduled, S.Sending]);
    expect(ledgerMoveFrom(M.CancelStale, [S.Scheduled])).toEqual([S.Scheduled]);
    expect(() => ledgerMoveFrom(M.Claim, [S.Sending])).toThrow("the ledger has no move 'claim' from sending");
  });
});

describe('docs/architecture.md', () => {
  it('shows the ledger state diagram of the table, edge for edge', () => {
    const doc = readFileSync(new URL('../../../../docs/architecture.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    const diagram = blocks.find((b) => b.startsWith('stateDiagram-v2'));
    expect(diagram).toBeDefined();
    const edges = (text: string) =>
      text
        .split('\n')
        .slice(1)
        .map((l) => l.trim())
        .filter(Boolean)
        .sort();
    expect(edges(diagram!)).toEqual(edges(ledgerStateDiagram()));
    expect(diagram).toBe(ledgerStateDiagram());
  });
});
