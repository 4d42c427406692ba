// The application's own database role: it writes as usual but can only INSERT and SELECT audit rows.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  auditChainKey,
  createDataSource,
  sequenceAuditEvents,
  verifyAuditChain,
} from '../../libs/persistence/src/index.js';
import {
  agreedPlan,
  createForceWithInspection,
  startApi,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Schema,
} from '../support/api-harness.js';
import { TEST_DATABASE_URL, withClient } from '../support/database.js';

const ROLE = `followup_app_${randomBytes(4).toString('hex')}`;
const KEY = auditChainKey('role-test-audit-key-0123456789abcdef');

/** The error PostgreSQL answers `sql` with when run as the application's role, or 'ok'. */
const asApp = (appUrl: string, sql: string) =>
  withClient(appUrl, (c) =>
    c.query(sql).then(
      () => 'ok',
      (err: { code: string; message: string }) => `${err.code} ${err.message}`,
    ),
  );

describe('the application connected as its own role, migrated by the owner', () => {
  let api: RunningApi, appUrl: string, liaison: TestUser, inspection: InspectionDetail;

  beforeAll(async () => {
    // Roles belong to the server, not to one database: a unique name, dropped afterwards.
    await withClient(TEST_DATABASE_URL, (c) => c.query(`CREATE ROLE ${ROLE} LOGIN`));
    api = await startApi({}, { databaseRole: ROLE });
    const url = new URL(api.dbUrl);
    url.username = ROLE;
    appUrl = url.toString();
    ({ liaison, inspection } = await createForceWithInspection(api, [{ reference: 'A1' }]));
  });

  afterAll(async () => {
    await api?.close(); // drops the database, and with it every privilege granted there
    await withClient(TEST_DATABASE_URL, (c) => c.query(`DROP ROLE IF EXISTS ${ROLE}`));
  });

  it('connects as that role, not as the owner who migrated', async () => {
    const owners = await withClient(api.dbUrl, (c) =>
      c.query<{ table_owner: string }>(
        `SELECT DISTINCT tableowner AS table_owner FROM pg_tables WHERE schemaname = 'public'`,
      ),
    );
    expect(owners.rows.map((r) => r.table_owner)).not.toContain(ROLE);
    const sessions = await withClient(api.dbUrl, (c) =>
      c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND usename = $1`,
        [ROLE],
      ),
    );
    expect(sessions.rows[0].n).toBeGreaterThan(0);
  });

  it('does its normal writes, each with its audit event', async () => {
    const rec = inspection.recommendations[0];
    const planned = await liaison.api.post(`/recommendations/${rec.id}/transitions`, agreedPlan(rec.version));
    expect(planned.status).toBe(200);
    const patched = await api.adminApi.patch(`/inspections/${inspection.id}`, {
      version: inspection.version,
      title: 'Renamed',
    });
    expect(patched.status).toBe(200);
    const detail = await liaison.api.get(`/recommendations/${rec.id}`);
    expect(detail.body.history.map((h: Schema<'HistoryEntryResponse'>) => h.action)).toEqual([
      'recommendation.issued',
      'submit_plan',
    ]);
  });

  it('is refused UPDATE, DELETE and TRUNCATE of audit rows by its privileges, before any trigger', async () => {
    // The sequencer, as the worker runs it, connected as the application's role: INSERT into audit_chain is enough.
    const ds = createDataSource(appUrl, { poolSize: 1 });
    await ds.initialize();
    try {
      await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({ ran: true, sequenced: expect.any(Number) });
      await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, unsequenced: 0 });
    } finally {
      await ds.destroy();
    }
    for (const table of ['audit_events', 'audit_chain']) {
      expect(await asApp(appUrl, `UPDATE ${table} SET prev_hash = prev_hash`)).toBe(
        `42501 permission denied for table ${table}`,
      );
      expect(await asApp(appUrl, `DELETE FROM ${table}`)).toBe(`42501 permission denied for table ${table}`);
      expect(await asApp(appUrl, `TRUNCATE ${table} CASCADE`)).toBe(`42501 permission denied for table ${table}`);
      expect(await asApp(appUrl, `SELECT count(*) FROM ${table}`)).toBe('ok');
    }
    expect(await asApp(appUrl, `ALTER TABLE audit_events DISABLE TRIGGER ALL`)).toBe(
      '42501 must be owner of table audit_events',
    );
    expect(await asApp(appUrl, `DELETE FROM migrations`)).toBe('42501 permission denied for table migrations');
    // Its ordinary tables stay writable.
    expect(await asApp(appUrl, `UPDATE organisations SET name = name`)).toBe('ok');
    const counts = await withClient(api.dbUrl, (c) =>
      c.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_chain`),
    );
    expect(counts.rows[0].n).toBeGreaterThan(0);
  });
});
