// SQL of who may receive a ledger row: the one rule the planner re-plans people by and dispatch checks again before
// sending.
import { kindsWhere, type NotificationAudience } from '#domain';

/**
 * SQL: does manager `u` see organisation `org`? Every force when chosen explicitly (`all_organisations`); otherwise
 * theirs.
 */
export const managerSeesSql = (u: string, org: string): string =>
  `(${u}.all_organisations
    OR EXISTS (SELECT 1 FROM user_organisations muo WHERE muo.user_id = ${u}.id AND muo.organisation_id = ${org}))`;

/** SQL: is liaison `u` a member of organisation `org`? */
export const liaisonOfSql = (u: string, org: string): string =>
  `(${u}.role = 'liaison' AND EXISTS (SELECT 1 FROM user_organisations luo WHERE luo.user_id = ${u}.id AND luo.organisation_id = ${org}))`;

/** SQL over recipient `eu`, recommendation `er` and inspection `ei`: each audience rule of the domain's kind table. */
const AUDIENCE_SQL: Record<NotificationAudience, string> = {
  force_liaison: liaisonOfSql('eu', 'er.organisation_id'),
  lead_inspector: 'ei.lead_inspector_id = eu.id',
  manager_seeing_force: `eu.role = 'manager' AND ${managerSeesSql('eu', 'er.organisation_id')}`,
  manager: `eu.role = 'manager'`,
  force_member:
    'EXISTS (SELECT 1 FROM user_organisations duo WHERE duo.user_id = eu.id AND duo.organisation_id = er.organisation_id)',
  recipient_named: 'true',
};

const quoted = (s: string): string => `'${s}'`;

/** One line per audience rule: the kinds (NOTIFICATION_KINDS) whose audience it is, and the rule. */
const audienceLines = (Object.keys(AUDIENCE_SQL) as NotificationAudience[])
  .map((rule) => ({ rule, kinds: kindsWhere((k) => k.audience.includes(rule)) }))
  .filter(({ kinds }) => kinds.length > 0)
  .map(({ rule, kinds }) => `(n.kind IN (${kinds.map(quoted).join(', ')}) AND ${AUDIENCE_SQL[rule]})`);

/**
 * SQL over a ledger row `n`: is its recipient still someone the planner's audience rules would choose? Active, and
 * one of its kind's audience (NOTIFICATION_KINDS): a liaison of the organisation, its lead inspector, a manager who
 * sees it, any manager (summaries), a member of its force (decisions), or whoever it names (a calendar cancellation
 * goes to whoever was sent the event, while active, whatever their role or forces now: the event is in their calendar).
 */
export const RECIPIENT_ENTITLED_SQL = `EXISTS (
  SELECT 1 FROM users eu
    LEFT JOIN recommendations er ON er.id = n.recommendation_id
    LEFT JOIN inspections ei ON ei.id = er.inspection_id
   WHERE eu.id = n.recipient_id AND eu.active AND (
         ${audienceLines.join('\n      OR ')}))`;
