// The notification ledger as people read it (GET /notifications): keyset pages of `notifications`, scoped.
import type { EntityManager } from 'typeorm';
import type { Actor } from '#domain';
import { NotificationEntity } from '../entities/notification.entity.js';
import { onlyVisible } from '../store/visibility.js';

/** Whose rows a reader sees: those of the inspections they lead, or those of the organisations they may see. */
export type LedgerScope = { inspectionsLedBy: string } | { visibleTo: Actor };

export interface LedgerPageFilter {
  recommendationId?: string;
  kind?: string;
  /** Rows in any of these states (none given: every state). */
  statuses?: readonly string[];
}

export class NotificationListQueries {
  constructor(private readonly db: EntityManager) {}

  /** Up to `take` rows by (created_at, id) after the keyset `after` (an ISO timestamp and an id). */
  listPage(
    scope: LedgerScope,
    filter: LedgerPageFilter,
    after: readonly string[] | null,
    take: number,
  ): Promise<NotificationEntity[]> {
    const query = this.db
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .orderBy('n.createdAt', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .limit(take);
    if ('inspectionsLedBy' in scope) {
      query.andWhere('n.inspectionId IN (SELECT i.id FROM inspections i WHERE i.lead_inspector_id = :me)', {
        me: scope.inspectionsLedBy,
      });
    } else {
      onlyVisible(query, 'n.organisationId', scope.visibleTo);
    }
    if (filter.recommendationId) query.andWhere('n.recommendationId = :rid', { rid: filter.recommendationId });
    if (filter.kind) query.andWhere('n.kind = :kind', { kind: filter.kind });
    const statuses = filter.statuses ?? [];
    if (statuses.length > 1) query.andWhere('n.status IN (:...waiting)', { waiting: statuses });
    else if (statuses.length === 1) query.andWhere('n.status = :status', { status: statuses[0] });
    if (after) query.andWhere('(n.createdAt, n.id) > (:t, :id)', { t: after[0], id: after[1] });
    return query.getMany();
  }
}
