// GET /notifications: the ledger as people read it, scoped to what the reader may see.
import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode, NotificationStatus, notificationScope, type Actor } from '#domain';
import { Storage, type NotificationEntity } from '#persistence';
import { decodeCursor, pageSize, toPage, type PageRequest } from './paging.js';

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

/** The stored states a status filter matches: `scheduled` covers `sending` too. */
function statusesShownAs(status: string | undefined): string[] {
  if (!status) return [];
  return status === NotificationStatus.Scheduled
    ? [NotificationStatus.Scheduled, NotificationStatus.Sending]
    : [status];
}

@Injectable()
export class LedgerService {
  constructor(private readonly storage: Storage) {}

  async list(actor: Actor, filter: LedgerFilter, request: PageRequest) {
    const limit = pageSize(request);
    const after = decodeCursor(request.cursor, ['timestamp', 'uuid']);
    // The one rule of who reads which notices (notificationScope, also behind the readiness pack and the pages).
    const rule = notificationScope(actor);
    if (rule.kind === 'none') throw new DomainError(DomainErrorCode.Forbidden, 'your role may not read notifications');
    const scope =
      rule.kind === 'inspections-led-by' ? { inspectionsLedBy: rule.inspectorId } : { visibleTo: rule.actor };
    const statuses = statusesShownAs(filter.status);
    const rows = await this.storage.pool.notificationList.listPage(
      scope,
      { recommendationId: filter.recommendationId, kind: filter.kind, statuses },
      after,
      limit + 1,
    );
    return toPage(rows, limit, ledgerView, (n) => [n.createdAt.toISOString(), n.id]);
  }
}
