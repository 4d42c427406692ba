// The migrations on real PostgreSQL: up, down and up again, run once under concurrent starts, carrying existing data,
// and matching the entities.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  appendAuditEvent,
  auditChainKey,
  createDataSource,
  entities,
  migrations,
  runMigrationsSafely,
  sequenceAuditEvents,
  verifyAuditChain,
} from '../../libs/persistence/src/index.js';
import { legacyAuditHash, LEGACY_GENESIS_HASH } from '../../libs/persistence/src/audit/legacy-chain.js';
import { createTestDatabase, migratedDataSource, type TestDatabase } from '../support/database.js';

const OUR_TABLES = [
  'account_links',
  'api_token_settings',
  'api_tokens',
  'app_settings',
  'audit_chain',
  'audit_events',
  'evidence',
  'evidence_files',
  'evidence_item_files',
  'evidence_legal_holds',
  'follow_up_policies',
  'inspections',
  'notifications',
  'organisations',
  'recommendation_month_deltas',
  'recommendation_state_counts',
  'recommendations',
  'user_organisations',
  'users',
  'webhook_attempts',
  'webhook_deliveries',
  'webhook_subscriptions',
].sort();

async function tables(ds: DataSource): Promise<string[]> {
  const rows = await ds.query<Array<{ table_name: string }>>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function checksOf(ds: DataSource, table: string): Promise<string[]> {
  const rows = await ds.query<Array<{ conname: string }>>(
    `SELECT conname FROM pg_constraint WHERE contype = 'c' AND conrelid = $1::regclass`,
    [table],
  );
  return rows.map((r) => r.conname);
}

/** The notification kinds the ledger's CHECK allows. */
async function kindCheck(ds: DataSource): Promise<string> {
  const rows = await ds.query<Array<{ def: string }>>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ck_notifications_kind'`,
  );
  return rows[0]?.def ?? '';
}

async function columnsOf(ds: DataSource, table: string): Promise<string[]> {
  const rows = await ds.query<
    Array<{
      column_name: string;
    }>
  >(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, [table]);
  return rows.map((r) => r.column_name);
}

async function ourObjects(ds: DataSource): Promise<string[]> {
  const rows = await ds.query<Array<{ name: string }>>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname <> 'migrations' AND c.relname NOT LIKE 'migrations_%'
        AND c.oid NOT IN (SELECT indexrelid FROM pg_index WHERE indrelid = 'migrations'::regclass)
     UNION ALL
     SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`,
  );
  return rows.map((r) => r.name).sort();
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function freshDb(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  return db;
}

function track(ds: DataSource): DataSource {
  cleanups.push(async () => {
    if (ds.isInitialized) await ds.destroy();
  });
  return ds;
}

const ALL = migrations.map((m) => m.name);

/** Undoes the newest migrations, one at a time, down to and including `name`: however many later ones there are. */
async function undoThrough(ds: DataSource, name: string): Promise<void> {
  for (;;) {
    const [last] = await ds.query<Array<{ name: string }>>(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
    if (!last) throw new Error(`${name} has not run`);
    await ds.undoLastMigration({ transaction: 'each' });
    if (last.name === name) return;
  }
}

describe('migrations', () => {
  it('creates every table on an empty database, removes them all on down, and applies again', async () => {
    const db = await freshDb();
    const ds = track(createDataSource(db.url, { poolSize: 2 }));
    await ds.initialize();
    expect(await tables(ds)).toEqual([]);

    const ran = await runMigrationsSafely(ds);
    expect(ran).toEqual([
      'InitialSchema1795453200000',
      'NotificationRetryAt1795461248000',
      'UserActiveTokenEpoch1795470000000',
      'AuditSequencer1795480000000',
      'OversightRecords1795490000000',
      'EscalationStepKeys1795520000000',
      'OrganisationCodeFormat1795700000000',
      'DecisionNotices1795800000000',
      'ProgressAndSignIns1795900000000',
      'NaturalReferenceOrder1796000000000',
      'SearchIndex1796000000001',
      'ImmediateRule1796000000002',
      'UserAllOrganisations1796100000000',
      'AccountLinks1796100000001',
      'TwoFactor1796100000002',
      'EvidenceFiles1796200000000',
      'Webhooks1796300000000',
      'SingleSignOn1796500000000',
      'ApiTokens1796600000000',
      'InspectionDrafts1796700000000',
      'CalendarCancel1796800000000',
    ]);
    expect(ran).toEqual(ALL);
    expect(await kindCheck(ds)).toContain('calendar_cancel');
    expect(await tables(ds)).toEqual([...OUR_TABLES, 'migrations'].sort());
    const trigger = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal`,
    );
    expect(trigger[0].n).toBe(2);

    const chainTriggers = await ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'audit_chain'::regclass AND NOT tgisinternal`,
    );
    expect(chainTriggers[0].n).toBe(2);

    // Down, newest first: each undo removes what its up added (the escalation step keys are data only).
    await undoThrough(ds, 'CalendarCancel1796800000000');
    expect(await kindCheck(ds)).not.toContain('calendar_cancel');
    expect(await kindCheck(ds)).toContain('stale');
    expect(await columnsOf(ds, 'inspections')).toContain('draft');
    await undoThrough(ds, 'InspectionDrafts1796700000000');
    expect(await columnsOf(ds, 'inspections')).not.toContain('draft');
    await undoThrough(ds, 'ApiTokens1796600000000');
    expect(await tables(ds)).not.toContain('api_tokens');
    expect(await tables(ds)).not.toContain('api_token_settings');
    await undoThrough(ds, 'SingleSignOn1796500000000');
    expect(await columnsOf(ds, 'users')).not.toContain('oidc_subject');
    expect(await columnsOf(ds, 'organisations')).not.toContain('sso_only');
    await undoThrough(ds, 'Webhooks1796300000000');
    expect(await tables(ds)).not.toContain('webhook_deliveries');
    await undoThrough(ds, 'EvidenceFiles1796200000000');
    expect(await tables(ds)).not.toContain('evidence_files');
    expect(await tables(ds)).toContain('evidence');
    await undoThrough(ds, 'TwoFactor1796100000002');
    expect(await columnsOf(ds, 'users')).not.toContain('totp_secret');
    await undoThrough(ds, 'AccountLinks1796100000001');
    expect(await tables(ds)).not.toContain('account_links');
    await undoThrough(ds, 'UserAllOrganisations1796100000000');
    expect(await columnsOf(ds, 'users')).not.toContain('all_organisations');
    await undoThrough(ds, 'ProgressAndSignIns1795900000000');
    expect(await columnsOf(ds, 'recommendations')).not.toContain('progress_at');
    expect(await columnsOf(ds, 'users')).not.toContain('previous_sign_in_at');
    await undoThrough(ds, 'OrganisationCodeFormat1795700000000');
    expect(await checksOf(ds, 'organisations')).not.toContain('ck_organisations_code_format');
    await undoThrough(ds, 'OversightRecords1795490000000');
    expect(await tables(ds)).not.toContain('recommendation_month_deltas');
    expect(await tables(ds)).not.toContain('recommendation_state_counts');
    expect(await columnsOf(ds, 'recommendations')).not.toEqual(expect.arrayContaining(['area']));
    expect(await columnsOf(ds, 'users')).not.toContain('calendar_token_hash');
    expect(await columnsOf(ds, 'inspections')).not.toContain('register_withheld_reason');
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).not.toContain('audit_chain');
    expect(await columnsOf(ds, 'audit_events')).not.toContain('tx');
    expect(await columnsOf(ds, 'users')).toEqual(expect.arrayContaining(['active', 'token_epoch']));
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await columnsOf(ds, 'users')).not.toContain('active');
    expect(await columnsOf(ds, 'users')).not.toContain('token_epoch');
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await columnsOf(ds, 'notifications')).not.toContain('retry_at');
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual(['migrations']);
    expect(await ourObjects(ds)).toEqual([]); // no leftover sequence, index, function
    expect(await ds.query(`SELECT * FROM migrations`)).toEqual([]);

    expect(await runMigrationsSafely(ds)).toEqual(ALL);
    expect(await columnsOf(ds, 'notifications')).toContain('retry_at');
    expect(await columnsOf(ds, 'recommendations')).toEqual(
      expect.arrayContaining(['area', 'superseded_by_id', 'closed_at', 'state_since']),
    );
    expect(await tables(ds)).toEqual([...OUR_TABLES, 'migrations'].sort());
    // and a second run finds nothing pending
    expect(await runMigrationsSafely(ds)).toEqual([]);
  });

  it('runs exactly once when four processes start at once', async () => {
    const db = await freshDb();
    const sources = Array.from({ length: 4 }, () => track(createDataSource(db.url, { poolSize: 1 })));
    await Promise.all(sources.map((ds) => ds.initialize()));

    const results = await Promise.all(sources.map((ds) => runMigrationsSafely(ds)));

    expect(results.flat()).toEqual(ALL);
    expect(results.filter((r) => r.length === 0)).toHaveLength(3);
    const rows = await sources[0].query<Array<{ name: string }>>(`SELECT name FROM migrations`);
    expect(rows.map((r) => r.name).sort()).toEqual([...ALL].sort());
    expect(await tables(sources[0])).toEqual([...OUR_TABLES, 'migrations'].sort());
    // the session lock was given back: nothing still holds it
    const locks = await sources[0].query<
      Array<{
        n: number;
      }>
    >(`SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    expect(locks[0].n).toBe(0);
  });
});

describe('the audit sequencer migration', () => {
  const KEY = auditChainKey('migration-test-audit-key-0123456789ab');
  const append = (ds: DataSource, n: number) =>
    ds.transaction((m) =>
      appendAuditEvent(m, {
        actorId: null,
        entityType: 'user',
        entityId: '00000000-0000-4000-8000-000000000001',
        action: 'test',
        changes: { n },
      }),
    );

  it('down gives events written since up their legacy sha256 links; up again chains the old events first, in seq order', async () => {
    const db = await freshDb();
    const ds = track(createDataSource(db.url, { poolSize: 2 }));
    await ds.initialize();
    await runMigrationsSafely(ds);
    for (let n = 1; n <= 3; n++) await append(ds, n);

    // Undo the sequencer's migration, past the newer ones (escalation step keys, oversight records, ...).
    await undoThrough(ds, 'AuditSequencer1795480000000');
    const rows = await ds.query<
      Array<{
        seq: string;
        at: Date;
        actor_id: string | null;
        entity_type: string;
        entity_id: string;
        action: string;
        from_status: string | null;
        to_status: string | null;
        comment: string | null;
        changes: Record<string, unknown>;
        prev_hash: string;
        hash: string;
      }>
    >(
      `SELECT seq::text AS seq, at, actor_id, entity_type, entity_id, action, from_status, to_status, comment, changes, prev_hash, hash FROM audit_events ORDER BY seq`,
    );
    expect(rows).toHaveLength(3);
    let prev = LEGACY_GENESIS_HASH;
    for (const r of rows) {
      const fields = {
        seq: r.seq,
        at: r.at,
        actorId: r.actor_id,
        entityType: r.entity_type,
        entityId: r.entity_id,
        action: r.action,
        fromStatus: r.from_status,
        toStatus: r.to_status,
        comment: r.comment,
        changes: r.changes,
      };
      expect({ seq: r.seq, prev: r.prev_hash, hash: r.hash }).toEqual({
        seq: r.seq,
        prev,
        hash: legacyAuditHash(prev, fields),
      });
      prev = r.hash;
    }
    await expect(ds.query(`UPDATE audit_events SET comment = 'x'`)).rejects.toThrow(/append-only/); // the trigger is back on

    await runMigrationsSafely(ds);
    await append(ds, 4);
    await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({ ran: true, sequenced: 4 });
    const order = await ds.query<
      Array<{
        seq: number;
      }>
    >(`SELECT event_seq::int AS seq FROM audit_chain ORDER BY position`);
    expect(order.map((o) => o.seq)).toEqual([1, 2, 3, 4]);
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: 4, unsequenced: 0 });
  });
});

describe('oversight and records migration on existing data', () => {
  it('gives rows that predate it their tallies: open since publication, closed ones until their last change', async () => {
    const m = await migratedDataSource({ poolSize: 1 });
    cleanups.push(m.cleanup);
    const ds = m.ds;
    // Undo this migration, past the newer ones (escalation step keys, data only, and later).
    await undoThrough(ds, 'OversightRecords1795490000000');
    const [{ org }] = await ds.query(
      `INSERT INTO organisations (name, code) VALUES ('Merseyside Police', 'MERSEYSIDE') RETURNING id AS org`,
    );
    const [{ lead }] = await ds.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ('lead@x.test', 'Lead', 'x', 'inspector') RETURNING id AS lead`,
    );
    const [{ insp }] = await ds.query(
      `INSERT INTO inspections (organisation_id, title, programme, published_at, lead_inspector_id, action_plan_due_at, revisit_due_at)
       VALUES ($1, 'NCPI 2018', 'NCPI', '2018-08-30T00:00:00Z', $2, '2018-10-11T00:00:00Z', '2019-02-28T00:00:00Z') RETURNING id AS insp`,
      [org, lead],
    );
    await ds.query(
      `INSERT INTO recommendations (inspection_id, organisation_id, reference, text, due_at, action_plan_due_at, next_deadline_at, status, outcome, updated_at)
       VALUES ($1, $2, '1', 'Open', '2019-02-28T00:00:00Z', '2018-10-11T00:00:00Z', '2018-10-11T00:00:00Z', 'issued', NULL, now()),
              ($1, $2, '2', 'Closed', '2019-02-28T00:00:00Z', '2018-10-11T00:00:00Z', NULL, 'closed', 'implemented', '2019-08-01T00:00:00Z')`,
      [insp, org],
    );
    expect(await runMigrationsSafely(ds)).toEqual(ALL.slice(ALL.indexOf('OversightRecords1795490000000')));
    const recs = await ds.query(`SELECT reference, state_since, closed_at FROM recommendations ORDER BY reference`);
    expect(recs).toEqual([
      { reference: '1', state_since: new Date('2018-08-30T00:00:00Z'), closed_at: null },
      { reference: '2', state_since: new Date('2019-08-01T00:00:00Z'), closed_at: new Date('2019-08-01T00:00:00Z') },
    ]);
    // London months: 30 Aug 2018 01:00 BST is August; 11 Oct 2018 is October; 1 Aug 2019 is August.
    expect(
      await ds.query(
        `SELECT month::text, programme, area, open_delta, overdue_delta FROM recommendation_month_deltas ORDER BY month`,
      ),
    ).toEqual([
      { month: '2018-08-01', programme: 'NCPI', area: '', open_delta: 2, overdue_delta: 0 },
      { month: '2018-10-01', programme: 'NCPI', area: '', open_delta: 0, overdue_delta: 1 },
      { month: '2019-08-01', programme: 'NCPI', area: '', open_delta: -1, overdue_delta: 0 },
    ]);
    const counts = await ds.query(
      `SELECT open, next_deadline_at::text AS deadline, n FROM recommendation_state_counts ORDER BY open`,
    );
    expect(counts).toEqual([
      { open: false, deadline: 'infinity', n: 1 },
      { open: true, deadline: expect.stringMatching(/^2018-10-11 00:00:00/), n: 1 },
    ]);
  });
});

describe('the explicit "all forces" migration on existing data', () => {
  it('keeps the access of managers with no forces by giving them the flag; scoped managers and other roles get none', async () => {
    const m = await migratedDataSource({ poolSize: 1 });
    cleanups.push(m.cleanup);
    const ds = m.ds;
    await undoThrough(ds, 'UserAllOrganisations1796100000000');
    const [{ org }] = await ds.query(
      `INSERT INTO organisations (name, code) VALUES ('Merseyside Police', 'MERSEYSIDE') RETURNING id AS org`,
    );
    await ds.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES
         ('all@x.test', 'All', 'x', 'manager'), ('scoped@x.test', 'Scoped', 'x', 'manager'),
         ('admin@x.test', 'Admin', 'x', 'admin'), ('inspector@x.test', 'Inspector', 'x', 'inspector'), ('liaison@x.test', 'Liaison', 'x', 'liaison')`,
    );
    await ds.query(
      `INSERT INTO user_organisations (user_id, organisation_id) SELECT id, $1 FROM users WHERE email IN ('scoped@x.test', 'liaison@x.test')`,
      [org],
    );
    expect(await runMigrationsSafely(ds)).toEqual(ALL.slice(ALL.indexOf('UserAllOrganisations1796100000000')));
    expect(await ds.query(`SELECT email, all_organisations FROM users ORDER BY email`)).toEqual([
      { email: 'admin@x.test', all_organisations: false },
      { email: 'all@x.test', all_organisations: true },
      { email: 'inspector@x.test', all_organisations: false },
      { email: 'liaison@x.test', all_organisations: false },
      { email: 'scoped@x.test', all_organisations: false },
    ]);
    // Only a manager may carry it.
    await expect(ds.query(`UPDATE users SET all_organisations = true WHERE email = 'liaison@x.test'`)).rejects.toThrow(
      /ck_users_all_organisations/,
    );
  });
});

describe('organisation code format migration on existing data', () => {
  it('repairs codes that break A-Z 0-9 - (quotes, ;, CR LF, lower case), each with an audit event, then holds the rule', async () => {
    const m = await migratedDataSource({ poolSize: 1 });
    cleanups.push(m.cleanup);
    const ds = m.ds;
    await undoThrough(ds, 'OrganisationCodeFormat1795700000000');
    await ds.query(
      `INSERT INTO organisations (name, code) VALUES ('Good', 'GOOD-1'), ('Quote', 'AB"; x=1'), ('Newline', E'CR\\r\\nLF'), ('Lower', 'lower'), ('Clash', 'ab; x=1')`,
    );
    expect(await runMigrationsSafely(ds)).toEqual(ALL.slice(ALL.indexOf('OrganisationCodeFormat1795700000000')));
    const rows = await ds.query<
      Array<{
        id: string;
        name: string;
        code: string;
      }>
    >(`SELECT id, name, code FROM organisations ORDER BY name`);
    const codes = Object.fromEntries(rows.map((r) => [r.name, r.code]));
    expect(codes).toMatchObject({ Good: 'GOOD-1', Newline: 'CR-LF', Lower: 'LOWER' });
    // Two codes that clean to the same one: the first keeps it, the second gets its id's first 8 hex digits.
    expect([codes.Quote, codes.Clash].sort()).toEqual(['AB-X-1', expect.stringMatching(/^AB-X-1-[0-9A-F]{8}$/)]);
    const events = await ds.query(
      `SELECT entity_id, action, changes FROM audit_events WHERE action = 'organisation.code_repaired' ORDER BY seq`,
    );
    expect(events).toHaveLength(4);
    expect(events).toContainEqual({
      entity_id: rows.find((r) => r.name === 'Quote')!.id,
      action: 'organisation.code_repaired',
      changes: { code: { from: 'AB"; x=1', to: codes.Quote } },
    });
    await expect(ds.query(`INSERT INTO organisations (name, code) VALUES ('Bad', 'A;B')`)).rejects.toThrow(
      /ck_organisations_code_format/,
    );
  });
});

describe('entities match the migrated schema', () => {
  const udtOf: Record<string, string> = {
    uuid: 'uuid',
    text: 'text',
    timestamptz: 'timestamptz',
    boolean: 'bool',
    integer: 'int4',
    int: 'int4',
    int4: 'int4',
    bigint: 'int8',
    date: 'date',
    jsonb: 'jsonb',
  };

  it('every entity column exists with its type and nullability, and every table column is mapped', async () => {
    const m = await migratedDataSource({ poolSize: 1 });
    cleanups.push(m.cleanup);
    const cols = await m.ds.query<
      Array<{
        table_name: string;
        column_name: string;
        udt_name: string;
        is_nullable: 'YES' | 'NO';
        column_default: string | null;
      }>
    >(
      `SELECT table_name, column_name, udt_name, is_nullable, column_default
         FROM information_schema.columns WHERE table_schema = 'public'`,
    );

    expect(m.ds.entityMetadatas.map((e) => e.tableName).sort()).toEqual(OUR_TABLES);
    expect(entities).toHaveLength(OUR_TABLES.length);
    for (const meta of m.ds.entityMetadatas) {
      const dbCols = cols.filter((c) => c.table_name === meta.tableName);
      const mapped = meta.columns.map((c) => c.databaseName).sort();
      expect({ table: meta.tableName, columns: mapped }).toEqual({
        table: meta.tableName,
        columns: dbCols.map((c) => c.column_name).sort(),
      });
      for (const col of meta.columns) {
        const db = dbCols.find((c) => c.column_name === col.databaseName)!;
        const type = typeof col.type === 'string' ? col.type : String(col.type);
        const udt = udtOf[type] ? `${col.isArray ? '_' : ''}${udtOf[type]}` : `unmapped ${type}`;
        expect({ at: `${meta.tableName}.${col.databaseName}`, udt }).toEqual({
          at: `${meta.tableName}.${col.databaseName}`,
          udt: db.udt_name,
        });
        expect({ at: `${meta.tableName}.${col.databaseName}`, nullable: col.isNullable }).toEqual({
          at: `${meta.tableName}.${col.databaseName}`,
          nullable: db.is_nullable === 'YES',
        });
        if (col.default !== undefined || col.isGenerated) {
          expect({ at: `${meta.tableName}.${col.databaseName}`, hasDefault: db.column_default !== null }).toEqual({
            at: `${meta.tableName}.${col.databaseName}`,
            hasDefault: true,
          });
        }
      }
    }
  });

  it('every index, unique and check constraint is declared on its entity by the same name', async () => {
    const m = await migratedDataSource({ poolSize: 1 });
    cleanups.push(m.cleanup);
    const dbIndexes = await m.ds.query<Array<{ table: string; name: string }>>(
      `SELECT tablename AS table, indexname AS name FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE 'pk_%' AND tablename <> 'migrations'`,
    );
    const dbChecks = await m.ds.query<Array<{ table: string; name: string }>>(
      `SELECT conrelid::regclass::text AS table, conname AS name FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace`,
    );

    const declaredIndexes = m.ds.entityMetadatas.flatMap((e) => [
      ...e.indices.map((i) => ({ table: e.tableName, name: i.name })),
      ...e.uniques.map((u) => ({ table: e.tableName, name: u.name })),
    ]);
    const declaredChecks = m.ds.entityMetadatas.flatMap((e) =>
      e.checks.map((c) => ({ table: e.tableName, name: c.name })),
    );
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

    expect(declaredIndexes.sort(byName)).toEqual(dbIndexes.sort(byName));
    expect(declaredChecks.sort(byName)).toEqual(dbChecks.sort(byName));
    expect(dbIndexes.length).toBeGreaterThanOrEqual(20);
  });
});
