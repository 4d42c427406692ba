// Dispatch, stage 2: load what a round's emails are about, and drop rows whose recipient may no longer receive them.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '#domain';
import { LedgerRepository } from '#persistence';
import { SUMMARY_MAX_ITEMS, summaryScope, type SummaryFacts } from './compose.js';
import type { ClaimedRow, RecommendationRow, Stale } from './dispatch-rows.js';

const RECOMMENDATION_SQL = `
  SELECT r.id, r.status, r.action_plan_due_at, r.due_at, r.next_deadline_at, r.reference, r.text, r.priority,
         r.inspection_id, r.organisation_id, i.title AS inspection_title, o.name AS organisation_name
    FROM recommendations r
    JOIN inspections i ON i.id = r.inspection_id
    JOIN organisations o ON o.id = r.organisation_id`;

export interface LoadedRound {
  /** The rows whose recipients may still receive them. */
  rows: ClaimedRow[];
  unentitled: Stale[];
  /** The recommendations those rows are about, by id: one query for the whole round. */
  recommendations: Map<string, RecommendationRow>;
}

@Injectable()
export class LoadStage {
  constructor(private readonly db: DataSource) {}

  async load(claimed: ClaimedRow[]): Promise<LoadedRound> {
    const { rows, unentitled } = await this.splitByEntitlement(claimed);
    return { rows, unentitled, recommendations: await this.loadRecommendations(rows) };
  }

  /**
   * A person deactivated, moved to another force or given another role after a row was planned (or even
   * claimed) receives nothing more: the same rule that re-plans them is checked again just before sending.
   */
  private async splitByEntitlement(claimed: ClaimedRow[]): Promise<{ rows: ClaimedRow[]; unentitled: Stale[] }> {
    if (claimed.length === 0) return { rows: [], unentitled: [] };
    const refused = await new LedgerRepository(this.db).unentitled(claimed.map((r) => r.id));
    if (refused.length === 0) return { rows: claimed, unentitled: [] };
    const refusedIds = new Set(refused);
    return {
      rows: claimed.filter((r) => !refusedIds.has(r.id)),
      unentitled: [...refusedIds].map((id) => ({ id, reason: 'stale: the recipient no longer receives it (deactivated, or their role or organisations changed)' })),
    };
  }

  private async loadRecommendations(rows: ClaimedRow[]): Promise<Map<string, RecommendationRow>> {
    const ids = [...new Set(rows.map((r) => r.recommendation_id).filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const recs: RecommendationRow[] = await this.db.query(`${RECOMMENDATION_SQL} WHERE r.id = ANY($1::uuid[])`, [ids]);
    return new Map(recs.map((r) => [r.id, r]));
  }

  /** A weekly summary's facts: whether its recipient is still a manager who sees its forces, and what is overdue there now. */
  async summaryFacts(rows: ClaimedRow[], now: Date): Promise<SummaryFacts> {
    const users: { role: Role; organisation_ids: string[] }[] = await this.db.query(
      `SELECT u.role, coalesce(array_agg(uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS organisation_ids
         FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id WHERE u.id = $1 GROUP BY u.id`,
      [rows[0].recipient_id],
    );
    const scope = summaryScope(rows, users[0] && { role: users[0].role, organisationIds: users[0].organisation_ids });
    if ('stale' in scope) return scope;
    const overdue: RecommendationRow[] = await this.db.query(
      `${RECOMMENDATION_SQL}
        WHERE r.next_deadline_at < $1 AND ($2::uuid[] IS NULL OR r.organisation_id = ANY($2::uuid[]))
        ORDER BY r.next_deadline_at, r.id LIMIT ${SUMMARY_MAX_ITEMS}`,
      [now, scope.organisations === 'all' ? null : scope.organisations],
    );
    return { overdue };
  }
}
