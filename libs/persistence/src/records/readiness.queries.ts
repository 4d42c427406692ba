// Reads behind the revisit readiness pack: an inspection's force and lead, and its recommendations' evidence, history
// and notices sent.
import type { EntityManager } from 'typeorm';
import { NotificationStatus } from '#domain';

export interface ReadinessHeadRow {
  id: string;
  name: string;
  code: string;
  lead: string;
}

export interface ReadinessEvidenceRow {
  recommendationId: string;
  title: string;
  url: string | null;
  note: string | null;
  submittedBy: string;
  createdAt: Date;
}

export interface ReadinessEventRow {
  entityId: string;
  at: Date;
  actor: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  comment: string | null;
  changes: Record<string, unknown>;
}

export interface ReadinessNoticeRow {
  recommendationId: string;
  kind: string;
  recipientEmail: string;
  deadlineType: string;
  deadlineAt: Date;
  sentAt: Date;
}

/** Each read is one statement over all of an inspection's recommendations, with people's names joined in. */
export class ReadinessQueries {
  constructor(private readonly db: EntityManager) {}

  /** The inspection's force and the name of its lead inspector. */
  async head(inspectionId: string): Promise<ReadinessHeadRow> {
    const [head] = await this.db.query<ReadinessHeadRow[]>(
      `SELECT o.id, o.name, o.code, u.name AS lead FROM inspections i JOIN organisations o ON o.id = i.organisation_id JOIN users u ON u.id = i.lead_inspector_id WHERE i.id = $1`,
      [inspectionId],
    );
    return head;
  }

  /** The evidence submitted for the recommendations, in order of submission. */
  evidence(recommendationIds: readonly string[]): Promise<ReadinessEvidenceRow[]> {
    return this.db.query(
      `SELECT e.recommendation_id AS "recommendationId", e.title, e.url, e.note, u.name AS "submittedBy", e.created_at AS "createdAt" FROM evidence e JOIN users u ON u.id = e.submitted_by
          WHERE e.recommendation_id = ANY($1::uuid[]) ORDER BY e.created_at, e.id`,
      [recommendationIds],
    );
  }

  /** The recommendations' audit events, in the log's order. */
  history(recommendationIds: readonly string[]): Promise<ReadinessEventRow[]> {
    return this.db.query(
      `SELECT a.entity_id AS "entityId", a.at, u.name AS actor, a.action, a.from_status AS "fromStatus", a.to_status AS "toStatus", a.comment, a.changes FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
          WHERE a.entity_type = 'recommendation' AND a.entity_id = ANY($1::uuid[]) ORDER BY a.seq`,
      [recommendationIds],
    );
  }

  /** The notices sent about the recommendations, in order of sending. */
  noticesSent(recommendationIds: readonly string[]): Promise<ReadinessNoticeRow[]> {
    return this.db.query(
      `SELECT n.recommendation_id AS "recommendationId", n.kind, n.recipient_email AS "recipientEmail", n.deadline_type AS "deadlineType",
              n.deadline_at AS "deadlineAt", n.sent_at AS "sentAt" FROM notifications n
          WHERE n.recommendation_id = ANY($1::uuid[]) AND n.status = $2 ORDER BY n.sent_at, n.id`,
      [recommendationIds, NotificationStatus.Sent],
    );
  }
}
