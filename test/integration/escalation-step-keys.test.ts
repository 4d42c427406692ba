// The migration that renames escalation ledger rows from settings-based offsets (P7D+1xP7D) to their step (step-1).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { EscalationStepKeys1795520000000 } from '../../libs/persistence/src/migrations/1795520000000-escalation-step-keys.js';
import { migratedDataSource, type MigratedDataSource } from '../support/database.js';

let m: MigratedDataSource;
let ds: DataSource;

beforeAll(async () => {
  m = await migratedDataSource();
  ds = m.ds;
});
afterAll(async () => {
  await m?.cleanup();
});

describe('EscalationStepKeys migration', () => {
  it('renames old escalation rows to their step, keeps the sent one where two name the same step, and cancels its scheduled twin', async () => {
    const [org] = await ds.query(`INSERT INTO organisations (name, code) VALUES ('Force', 'F') RETURNING id`);
    const [user] = await ds.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ('m@x.test', 'M', 'h', 'manager') RETURNING id`,
    );
    const [insp] = await ds.query(
      `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
       VALUES ($1, 'I', 'PEEL', now(), $2, now(), now()) RETURNING id`,
      [org.id, user.id],
    );
    const [rec] = await ds.query(
      `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, due_at, action_plan_due_at, status)
       VALUES ($1, $2, '1', 't', now(), now(), 'issued') RETURNING id`,
      [insp.id, org.id],
    );
    const deadline = '2026-01-01T00:00:00.000Z';
    const row = async (offset: string, status: string, kind = 'escalation') => {
      const dedup = [rec.id, 'action_plan', deadline, kind, offset, user.id].join('|');
      await ds.query(
        `INSERT INTO notifications (dedup_key, recommendation_id, organisation_id, deadline_type, deadline_at, kind, offset_key, recipient_id, recipient_email, send_at, batch_key, status)
         VALUES ($1, $2, $3, 'action_plan', $4, $5, $6, $7, 'm@x.test', now(), $8, $9)`,
        [dedup, rec.id, org.id, deadline, kind, offset, user.id, `b-${offset}`, status],
      );
    };
    await row('P7D+0xP7D', 'sent');
    await row('P8D+0xP7D', 'scheduled');
    await row('P7D+1xP7D', 'scheduled');
    await row('P14D', 'sent', 'reminder');

    const runner = ds.createQueryRunner();
    try {
      await new EscalationStepKeys1795520000000().up(runner);
    } finally {
      await runner.release();
    }

    const rows: { offset_key: string; status: string; dedup_key: string; kind: string }[] = await ds.query(
      `SELECT offset_key, status, dedup_key, kind FROM notifications ORDER BY kind, offset_key`,
    );
    expect(rows.map((r) => [r.kind, r.offset_key, r.status])).toEqual([
      ['escalation', 'P8D+0xP7D', 'cancelled'],
      ['escalation', 'step-0', 'sent'],
      ['escalation', 'step-1', 'scheduled'],
      ['reminder', 'P14D', 'sent'],
    ]);
    for (const r of rows.filter((x) => x.offset_key.startsWith('step-'))) {
      expect(r.dedup_key).toBe([rec.id, 'action_plan', deadline, 'escalation', r.offset_key, user.id].join('|'));
    }
  });
});
