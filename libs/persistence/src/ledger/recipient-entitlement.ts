// SQL of who may receive a ledger row: the one rule the planner re-plans people by and dispatch checks again before sending.

/** SQL: does manager `u` see organisation `org`? Every force when chosen explicitly (`all_organisations`); otherwise theirs. */
export const managerSeesSql = (u: string, org: string): string =>
  `(${u}.all_organisations
    OR EXISTS (SELECT 1 FROM user_organisations muo WHERE muo.user_id = ${u}.id AND muo.organisation_id = ${org}))`;

/** SQL: is liaison `u` a member of organisation `org`? */
export const liaisonOfSql = (u: string, org: string): string =>
  `(${u}.role = 'liaison' AND EXISTS (SELECT 1 FROM user_organisations luo WHERE luo.user_id = ${u}.id AND luo.organisation_id = ${org}))`;

/**
 * SQL over a ledger row `n`: is its recipient still someone the planner's audience rules would choose? Active,
 * and a liaison of the organisation (reminders, overdue notices, stale nudges), its lead inspector (overdue notices,
 * closure reviews), a manager who sees it (escalations, summaries), or a member of its force (decisions: its
 * liaisons, and its owner when the owner is a user of the force). A calendar cancellation goes to whoever was sent the
 * event, while active, whatever their role or forces now: the event is in their calendar either way.
 */
export const RECIPIENT_ENTITLED_SQL = `EXISTS (
  SELECT 1 FROM users eu
    LEFT JOIN recommendations er ON er.id = n.recommendation_id
    LEFT JOIN inspections ei ON ei.id = er.inspection_id
   WHERE eu.id = n.recipient_id AND eu.active AND (
         (n.kind = 'overdue_summary' AND eu.role = 'manager')
      OR (n.kind IN ('reminder', 'overdue') AND ${liaisonOfSql('eu', 'er.organisation_id')})
      OR (n.kind IN ('overdue', 'review_needed') AND ei.lead_inspector_id = eu.id)
      OR (n.kind = 'stale' AND ${liaisonOfSql('eu', 'er.organisation_id')})
      OR (n.kind = 'escalation' AND eu.role = 'manager' AND ${managerSeesSql('eu', 'er.organisation_id')})
      OR (n.kind = 'decision' AND EXISTS (SELECT 1 FROM user_organisations duo WHERE duo.user_id = eu.id AND duo.organisation_id = er.organisation_id))
      OR n.kind = 'calendar_cancel'))`;
