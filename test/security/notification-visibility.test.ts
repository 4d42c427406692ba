// Who reads the notification ledger: GET /notifications, the readiness pack (JSON, CSV, page) and the
// recommendation page answer alike, from the one rule (canSeeNotifications in libs/domain/src/access.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import {
  TEST_PASSWORD,
  startApi,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
} from '../support/api-harness.js';
import { signedInPages } from '../support/page-client.js';

describe('who sees the notification ledger', () => {
  let api: RunningApi, db: pg.Client, inspection: InspectionDetail, recId: string;
  const people: Record<string, TestUser> = {};
  const RECIPIENT = 'escalation-recipient@ledger.test';

  beforeAll(async () => {
    api = await startApi();
    const force = await api.createOrganisation({ name: 'Ledger Force' });
    const otherForce = await api.createOrganisation({ name: 'Other Ledger Force' });
    const [lead, otherInspector, manager, otherManager, liaison] = await Promise.all([
      api.createUser('inspector'),
      api.createUser('inspector'),
      api.createUser('manager', [force.id]),
      api.createUser('manager', [otherForce.id]),
      api.createUser('liaison', [force.id]),
    ]);
    Object.assign(people, { lead, otherInspector, manager, otherManager, liaison });
    inspection = await api.createInspection(lead.token, {
      organisationId: force.id,
      leadInspectorId: lead.id,
      recommendations: [{ reference: '1' }],
    });
    const rec = inspection.recommendations[0];
    recId = rec.id;
    const planned = await liaison.api.post(`/recommendations/${rec.id}/transitions`, {
      action: 'submit_plan',
      version: rec.version,
      response: 'agreed',
      owner: 'Owner',
      actions: 'Act',
      targetDate: '2030-01-31',
    });
    expect(planned.status).toBe(200);
    // One notice of the plan marked sent, to a recipient the ledger must not show a liaison officer.
    db = new pg.Client({ connectionString: api.dbUrl });
    await db.connect();
    const { rowCount } = await db.query(
      `UPDATE notifications SET status = 'sent', sent_at = now(), recipient_email = $2 WHERE id = (SELECT id FROM notifications WHERE recommendation_id = $1 ORDER BY send_at LIMIT 1)`,
      [rec.id, RECIPIENT],
    );
    expect(rowCount).toBe(1);
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  // The rule: administrators and the force's managers, the lead inspector; not other inspectors, other forces' managers
  // or liaison staff.
  const MAY = { admin: true, lead: true, manager: true, otherInspector: false, liaison: false } as const;

  it.each(Object.entries(MAY))(
    '%s: the pack (JSON and CSV) shows the ledger only if GET /notifications does',
    async (who, may) => {
      const client = who === 'admin' ? api.adminApi : people[who].api;
      const token = who === 'admin' ? api.admin.token : people[who].token;
      const list = await client.get(`/notifications?recommendationId=${recId}`);
      // A liaison officer is refused the list; another inspector reads it without this inspection's notices.
      expect(list.status).toBe(who === 'liaison' ? 403 : 200);
      expect(JSON.stringify(list.body).includes(RECIPIENT)).toBe(may);

      const pack = await client.get(`/inspections/${inspection.id}/readiness`);
      expect(pack.status).toBe(200);
      const sent = pack.body.recommendations[0].notificationsSent;
      if (may) expect(sent).toEqual([expect.objectContaining({ recipient: RECIPIENT })]);
      else expect(sent).toBeNull();
      expect(JSON.stringify(pack.body).includes(RECIPIENT)).toBe(may);

      const csv = await fetch(`${api.baseUrl}/inspections/${inspection.id}/readiness?format=csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const text = await csv.text();
      const [row] = parse<Record<string, string>>(text, { bom: true, columns: true });
      expect('notifications sent' in row).toBe(may);
      expect(text.includes(RECIPIENT)).toBe(may);
    },
  );

  it("another force's manager gets 404 for the pack and an empty ledger list", async () => {
    expect((await people.otherManager.api.get(`/inspections/${inspection.id}/readiness`)).status).toBe(404);
    expect((await people.otherManager.api.get(`/notifications?recommendationId=${recId}`)).body.items).toEqual([]);
  });

  it.each(Object.entries(MAY).filter(([who]) => who !== 'admin'))(
    '%s: the pack page, its CSV and the recommendation page follow the same rule',
    async (who, may) => {
      const pages = await signedInPages(api.baseUrl, people[who].email, TEST_PASSWORD);
      const packPage = await pages.get(`/inspections/${inspection.id}/readiness`);
      expect(packPage.status).toBe(200);
      expect(packPage.text.includes('Notifications sent')).toBe(may);
      expect(packPage.text.includes(RECIPIENT)).toBe(may);
      const packCsv = await pages.get(`/inspections/${inspection.id}/readiness.csv`);
      expect(packCsv.status).toBe(200);
      expect(packCsv.text.includes('notifications sent')).toBe(may);
      expect(packCsv.text.includes(RECIPIENT)).toBe(may);
      const recPage = await pages.get(`/recommendations/${recId}`);
      expect(recPage.status).toBe(200);
      expect(recPage.text.includes(RECIPIENT)).toBe(may);
    },
  );
});
