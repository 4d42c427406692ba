// The fan-out benchmark's data: one force's overdue recommendations, its liaisons, and one overdue ledger row per
// liaison.
import type { DataSource } from 'typeorm';
import { batchesToSchedule, type BatchToSchedule } from '#application';
import { DeadlineType, IMMEDIATE_OFFSET, NotificationKind, batchKeyFor, dedupKeyFor } from '#domain';
import { LedgerRepository } from '#persistence';

const RECOMMENDATIONS = 20;
const INSPECTIONS = 5;

export interface Fixtures {
  organisationId: string;
  organisationName: string;
  recs: {
    id: string;
    inspectionId: string;
    inspectionTitle: string;
    reference: string;
    text: string;
    actionPlanDueAt: Date;
  }[];
  users: { id: string; email: string; name: string }[];
}

/**
 * One force, INSPECTIONS × (RECOMMENDATIONS / INSPECTIONS) recommendations whose action plan is 10 days late,
 * `liaisons` liaisons.
 */
export async function seed(ds: DataSource, liaisons: number): Promise<Fixtures> {
  const [lead]: { id: string }[] = await ds.query(
    `INSERT INTO users (email, name, password_hash, role) VALUES ('lead@bench.test', 'Lead Inspector', 'x', 'inspector') RETURNING id`,
  );
  const [org]: { id: string; name: string }[] = await ds.query(
    `INSERT INTO organisations (name, code) VALUES ('Northshire Police', 'NSP') RETURNING id, name`,
  );
  await ds.query(
    `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
     SELECT $1, 'PEEL inspection ' || g, 'PEEL', date_trunc('second', now()) - interval '52 days', $2,
            date_trunc('second', now()) - interval '10 days', date_trunc('second', now()) + interval '131 days'
       FROM generate_series(1, $3) g`,
    [org.id, lead.id, INSPECTIONS],
  );
  await ds.query(
    `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, due_at, action_plan_due_at, next_deadline_at, status)
     SELECT i.id, i.organisation_id, 'R' || g,
            'By the end of the year the force should make sure that every high-risk offender is visited as often as the plan requires (' || g || ').',
            i.revisit_due_at, i.action_plan_due_at, i.action_plan_due_at, 'issued'
       FROM inspections i CROSS JOIN generate_series(1, $1) g`,
    [RECOMMENDATIONS / INSPECTIONS],
  );
  const users: Fixtures['users'] = await ds.query(
    `WITH u AS (
       INSERT INTO users (email, name, password_hash, role)
       SELECT 'liaison-' || lpad(g::text, 5, '0') || '@bench.test', 'Liaison ' || lpad(g::text, 5, '0'), 'x', 'liaison'
         FROM generate_series(1, $1) g
       RETURNING id, email, name)
     SELECT id, email, name FROM u ORDER BY email`,
    [liaisons],
  );
  await ds.query(
    `INSERT INTO user_organisations (user_id, organisation_id) SELECT id, $1 FROM users WHERE role = 'liaison'`,
    [org.id],
  );
  const recs: {
    id: string;
    inspection_id: string;
    title: string;
    reference: string;
    text: string;
    action_plan_due_at: Date;
  }[] = await ds.query(
    `SELECT r.id, r.inspection_id, i.title, r.reference, r.text, r.action_plan_due_at
       FROM recommendations r JOIN inspections i ON i.id = r.inspection_id ORDER BY i.title, r.reference`,
  );
  return {
    organisationId: org.id,
    organisationName: org.name,
    recs: recs.map((r) => ({
      id: r.id,
      inspectionId: r.inspection_id,
      inspectionTitle: r.title,
      reference: r.reference,
      text: r.text,
      actionPlanDueAt: r.action_plan_due_at,
    })),
    users,
  };
}

/**
 * One `overdue` row per liaison, each its own batch (kind, recipient, window), all with send_at = `sendAt`; planned as
 * the app plans.
 */
export async function writeLedger(
  ds: DataSource,
  f: Fixtures,
  users: Fixtures['users'],
  sendAt: Date,
  digestWindowMs: number,
): Promise<BatchToSchedule[]> {
  const kind = NotificationKind.Overdue;
  const rows = users.map((u, i) => {
    const rec = f.recs[i % f.recs.length];
    return {
      dedupKey: dedupKeyFor(rec.id, DeadlineType.ActionPlan, rec.actionPlanDueAt, kind, IMMEDIATE_OFFSET, u.id),
      recommendationId: rec.id,
      inspectionId: rec.inspectionId,
      organisationId: f.organisationId,
      deadlineType: DeadlineType.ActionPlan,
      deadlineAt: rec.actionPlanDueAt,
      kind,
      offsetKey: IMMEDIATE_OFFSET,
      recipientId: u.id,
      recipientEmail: u.email,
      sendAt,
      batchKey: batchKeyFor(kind, u.id, sendAt, digestWindowMs),
    };
  });
  const planned = await new LedgerRepository(ds).plan(rows);
  await ds.query(`ANALYZE notifications`);
  return batchesToSchedule(planned, digestWindowMs);
}
