// Who holds a calendar event that went away: the last reminder each person was sent carrying it, from the ledger.
import type { EntityManager } from 'typeorm';
import { kindsWhere, type SentCalendarEvent } from '#domain';

/** The kinds whose emails carry calendar events (NOTIFICATION_KINDS: `email.calendar` 'publish'), as SQL text. */
const CARRIERS = kindsWhere((k) => k.email.calendar === 'publish')
  .map((kind) => `'${kind}'`)
  .join(', ');

export class CalendarCancelQueries {
  constructor(private readonly db: EntityManager) {}

  /**
   * The events gone for good among these recommendations' and inspections': a closed recommendation's due date, an
   * inspection's action plan once none of its recommendations is issued. For each such event (its UID: the
   * recommendation's due date, the inspection's action plan, whichever recommendation's reminder carried it) and each
   * person, the last reminder sent to them carrying it, with its recommendation's inspection and force. Rows come
   * from `ix_notifications_recommendation_id_created_at`.
   */
  goneEventsSent(
    recommendationIds: readonly string[],
    inspectionIds: readonly string[],
  ): Promise<(SentCalendarEvent & { inspectionId: string; organisationId: string })[]> {
    if (recommendationIds.length === 0 && inspectionIds.length === 0) return Promise.resolve([]);
    return this.db.query(
      `WITH gone AS (
         SELECT r.id AS recommendation_id, 'due_date' AS deadline_type, 'due_date-' || r.id AS event
           FROM recommendations r WHERE r.id = ANY($1::uuid[]) AND r.status = 'closed'
         UNION ALL
         SELECT r.id, 'action_plan', 'action_plan-' || r.inspection_id
           FROM recommendations r
          WHERE r.inspection_id = ANY($2::uuid[])
            AND NOT EXISTS (SELECT 1 FROM recommendations x WHERE x.inspection_id = r.inspection_id AND x.status = 'issued')
       )
       SELECT DISTINCT ON (g.event, n.recipient_id)
              n.id AS "reminderId", n.recommendation_id AS "recommendationId", n.deadline_type AS "deadlineType",
              n.deadline_at AS "deadlineAt", n.recipient_id AS "recipientId", n.recipient_email AS "recipientEmail",
              r.inspection_id AS "inspectionId", r.organisation_id AS "organisationId"
         FROM gone g
         JOIN recommendations r ON r.id = g.recommendation_id
         JOIN notifications n ON n.recommendation_id = g.recommendation_id AND n.deadline_type = g.deadline_type
                             AND n.kind IN (${CARRIERS}) AND n.status = 'sent'
        ORDER BY g.event, n.recipient_id, n.sent_at DESC, n.id DESC`,
      [recommendationIds, inspectionIds],
    );
  }
}
