// Read-only queries behind the web pages' lists: counts per inspection, names beside ids (My work is to-do.ts).
import { Inject, Injectable } from '@nestjs/common';
import { Storage, type InspectionEntity } from '#persistence';
import { CLOCK, type Clock } from './tokens.js';

export interface InspectionCounts {
  open: number;
  overdue: number;
}

const OPEN = ['issued', 'planned', 'closure_proposed'];

/**
 * Read-only queries for the web pages' lists: each one statement (or one per list), limited, joined
 * with the names shown beside each row (never a query per row).
 */
@Injectable()
export class WorkQueries {
  constructor(
    private readonly storage: Storage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Open and overdue recommendations of each inspection, in one grouped query. */
  async inspectionCounts(inspectionIds: readonly string[]): Promise<Map<string, InspectionCounts>> {
    if (inspectionIds.length === 0) return new Map();
    const rows = await this.storage.pool.workLists.inspectionCounts(inspectionIds, OPEN, this.clock.now());
    return new Map(rows.map((r) => [r.inspectionId, { open: Number(r.open), overdue: Number(r.overdue) }]));
  }

  /** Names by id, for showing people and organisations beside ids (one query each). */
  async userNames(ids: readonly (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
    if (wanted.length === 0) return new Map();
    return this.storage.pool.users.names(wanted);
  }

  async organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    return this.storage.pool.organisations.names(wanted);
  }

  async inspectionTitles(ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    return this.storage.pool.inspections.titles(wanted);
  }

  /** The inspection a visible recommendation belongs to; the caller has already checked the recommendation's scope. */
  async inspectionOf(inspectionId: string): Promise<InspectionEntity> {
    return this.storage.pool.inspections.get(inspectionId);
  }
}
