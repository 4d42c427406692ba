// Dispatch, stage 2: load what a round's emails are about, and drop rows whose recipient may no longer receive them.
import { Injectable } from '@nestjs/common';
import { DECISION_ACTIONS, NOTIFICATION_KINDS } from '#domain';
import { Storage, type DispatchDecision, type ClaimedLedgerRow, type DispatchRecommendation } from '#persistence';
import { SUMMARY_MAX_ITEMS, summaryScope, type SummaryFacts } from './compose.js';
import { decisionKey } from './compose-decision.js';
import type { Stale } from './dispatch-rows.js';

export interface LoadedRound {
  /** The rows whose recipients may still receive them. */
  rows: ClaimedLedgerRow[];
  unentitled: Stale[];
  /** The recommendations those rows are about, by id: one query for the whole round. */
  recommendations: Map<string, DispatchRecommendation>;
  /** The decisions the round's decision notices tell of, by decisionKey. */
  decisions: Map<string, DispatchDecision>;
}

@Injectable()
export class LoadStage {
  constructor(private readonly storage: Storage) {}

  async load(claimed: ClaimedLedgerRow[]): Promise<LoadedRound> {
    const { rows, unentitled } = await this.splitByEntitlement(claimed);
    return {
      rows,
      unentitled,
      recommendations: await this.loadRecommendations(rows),
      decisions: await this.loadDecisions(rows),
    };
  }

  private async loadDecisions(rows: ClaimedLedgerRow[]): Promise<Map<string, DispatchDecision>> {
    const keys = rows
      .filter((r) => NOTIFICATION_KINDS[r.kind].email.compose === 'decisions' && r.recommendationId !== null)
      .map((r) => ({ recommendationId: r.recommendationId as string, at: r.deadlineAt }));
    if (keys.length === 0) return new Map();
    const found = await this.storage.pool.dispatch.decisions(keys, DECISION_ACTIONS);
    return new Map(found.map((d) => [decisionKey(d.recommendationId, d.at), d]));
  }

  /**
   * A person deactivated, moved to another force or given another role after a row was planned (or even
   * claimed) receives nothing more: the same rule that re-plans them is checked again just before sending.
   */
  private async splitByEntitlement(
    claimed: ClaimedLedgerRow[],
  ): Promise<{ rows: ClaimedLedgerRow[]; unentitled: Stale[] }> {
    if (claimed.length === 0) return { rows: [], unentitled: [] };
    const refused = await this.storage.pool.ledger.unentitled(claimed.map((r) => r.id));
    if (refused.length === 0) return { rows: claimed, unentitled: [] };
    const refusedIds = new Set(refused);
    return {
      rows: claimed.filter((r) => !refusedIds.has(r.id)),
      unentitled: [...refusedIds].map((id) => ({
        id,
        reason: 'stale: the recipient no longer receives it (deactivated, or their role or organisations changed)',
      })),
    };
  }

  private async loadRecommendations(rows: ClaimedLedgerRow[]): Promise<Map<string, DispatchRecommendation>> {
    const ids = [...new Set(rows.map((r) => r.recommendationId).filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const recs = await this.storage.pool.dispatch.recommendations(ids);
    return new Map(recs.map((r) => [r.id, r]));
  }

  /**
   * A weekly summary's facts: whether its recipient is still a manager who sees its forces, and what is overdue there
   * now.
   */
  async summaryFacts(rows: ClaimedLedgerRow[], now: Date): Promise<SummaryFacts> {
    const user = await this.storage.pool.dispatch.summaryRecipient(rows[0].recipientId);
    const scope = summaryScope(rows, user);
    if ('stale' in scope) return scope;
    const overdue = await this.storage.pool.dispatch.overdue(
      now,
      scope.organisations === 'all' ? null : scope.organisations,
      SUMMARY_MAX_ITEMS,
    );
    return { overdue };
  }
}
