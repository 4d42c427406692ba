// GET /notifications: the ledger as people read it, scoped to what the reader may see.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationStatus, Role, type Actor } from '#domain';
import { NotificationEntity } from '#persistence';
import { decodeCursor, pageSize, toPage, type PageRequest } from './paging.js';
import { onlyVisible } from './visibility.js';

export interface LedgerFilter {
  recommendationId?: string;
  kind?: string;
  status?: string;
}

/** The delivery ledger as people read it: `sending` is an internal step of `scheduled`. */
export function ledgerView(n: NotificationEntity) {
  return {
    id: n.id,
    kind: n.kind,
    recipient: n.recipientEmail,
    recipientId: n.recipientId,
    recommendationIds: n.recommendationId ? [n.recommendationId] : [],
    deadlineType: n.deadlineType,
    deadlineAt: n.deadlineAt.toISOString(),
    offset: n.offsetKey,
    dueAt: n.sendAt.toISOString(),
    status: n.status === NotificationStatus.Sending ? NotificationStatus.Scheduled : n.status,
    attempts: n.attempts,
    sentAt: n.sentAt?.toISOString() ?? null,
    messageId: n.messageId,
    lastError: n.lastError,
    // After a refusal for now (4xx, no connection): when it is tried again.
    nextAttemptAt: n.status === NotificationStatus.Scheduled && n.retryAt ? n.retryAt.toISOString() : null,
    createdAt: n.createdAt.toISOString(),
  };
}

@Injectable()
export class LedgerService {
  constructor(private readonly db: DataSource) {}

  async list(actor: Actor, filter: LedgerFilter, request: PageRequest) {
    const limit = pageSize(request);
    const after = decodeCursor(request.cursor, ['timestamp', 'uuid']);
    const query = this.db.getRepository(NotificationEntity).createQueryBuilder('n').orderBy('n.createdAt', 'ASC').addOrderBy('n.id', 'ASC').limit(limit + 1);
    if (actor.role === Role.Inspector) {
      query.andWhere('n.inspectionId IN (SELECT i.id FROM inspections i WHERE i.lead_inspector_id = :me)', { me: actor.id });
    } else {
      onlyVisible(query, 'n.organisationId', actor);
    }
    if (filter.recommendationId) query.andWhere('n.recommendationId = :rid', { rid: filter.recommendationId });
    if (filter.kind) query.andWhere('n.kind = :kind', { kind: filter.kind });
    if (filter.status === NotificationStatus.Scheduled) query.andWhere('n.status IN (:...waiting)', { waiting: [NotificationStatus.Scheduled, NotificationStatus.Sending] });
    else if (filter.status) query.andWhere('n.status = :status', { status: filter.status });
    if (after) query.andWhere('(n.createdAt, n.id) > (:t, :id)', { t: after[0], id: after[1] });
    const rows = await query.getMany();
    return toPage(rows, limit, ledgerView, (n) => [n.createdAt.toISOString(), n.id]);
  }
}
