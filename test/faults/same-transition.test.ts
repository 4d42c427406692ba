// Fault: the same transition posted 50 times at once against the production API process. Exactly one
// answer is 200, the other 49 are 409; one change, one audit event, one set of notices.
import { describe, expect, it } from '@jest/globals';
import { agreedPlan } from '../support/api-harness.js';
import { faultEnvFor } from '../support/fault-env.js';

const CONCURRENT = 50;

describe('the same transition posted 50 times at once', () => {
  const faults = faultEnvFor('same-transition');

  it('answers one 200 and 49 × 409, and changes, audits and plans once', async () => {
    const { env } = faults;
    const org = await env.organisation();
    const inspector = await env.user('inspector');
    const liaison = await env.user('liaison', [org]);
    await env.user('manager', [org]);
    const [target, control] = await env.inspection({ organisationId: org, leadInspectorId: inspector.id, count: 2 });
    const plan = (version: number) =>
      agreedPlan(version, { owner: 'Chief Superintendent Crime', actions: ['Audit crime recording'] });

    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, () =>
        env.http(liaison.token, 'POST', `/recommendations/${target.id}/transitions`, plan(target.version)),
      ),
    );
    const control200 = await env.http(
      liaison.token,
      'POST',
      `/recommendations/${control.id}/transitions`,
      plan(control.version),
    );
    expect(control200.status).toBe(200);

    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(CONCURRENT - 1);
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.code).toBe('STALE_VERSION');

    const {
      rows: [rec],
    } = await env.sql.query(`SELECT version, status FROM recommendations WHERE id = $1`, [target.id]);
    expect(rec).toEqual({ version: target.version + 1, status: 'planned' });
    const { rows: events } = await env.sql.query(
      `SELECT action FROM audit_events WHERE entity_type = 'recommendation' AND entity_id = $1 AND action = 'submit_plan'`,
      [target.id],
    );
    expect(events).toHaveLength(1);

    // One set of notices: the ledger of the recommendation posted 50 times is the ledger of the one posted once.
    const notices = async (id: string) =>
      (
        await env.sql.query(
          `SELECT kind, deadline_type, offset_key, recipient_id, status FROM notifications WHERE recommendation_id = $1 ORDER BY 1, 2, 3, 4, 5`,
          [id],
        )
      ).rows;
    const targetNotices = await notices(target.id);
    expect(targetNotices.length).toBeGreaterThan(0);
    expect(targetNotices).toEqual(await notices(control.id));
  });
});
