import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  appendAuditEvent,
  auditHash,
  createDataSource,
  GENESIS_HASH,
  verifyAuditChain,
  type AuditEventEntity,
  type AuditEventInput,
} from '../../libs/persistence/src/index.js';
import { migratedDataSource, type MigratedDataSource } from '../support/database.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fresh(): Promise<MigratedDataSource> {
  const m = await migratedDataSource();
  cleanups.push(m.cleanup);
  return m;
}

const entityId = randomUUID();
function event(n: number, extra: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    actorId: randomUUID(),
    entityType: 'recommendation',
    entityId,
    action: n === 1 ? 'create' : 'update_progress',
    fromStatus: n === 1 ? null : 'planned',
    toStatus: 'planned',
    comment: `event ${n}`,
    changes: { n, rag: { from: 'green', to: 'amber' }, targetDate: '2026-03-31', list: [1, 'two', null] },
    ...extra,
  };
}

async function append(ds: DataSource, e: AuditEventInput): Promise<AuditEventEntity> {
  return ds.transaction((manager) => appendAuditEvent(manager, e));
}

async function appendN(ds: DataSource, n: number): Promise<AuditEventEntity[]> {
  const out: AuditEventEntity[] = [];
  for (let i = 1; i <= n; i++) out.push(await append(ds, event(i)));
  return out;
}

/** Runs statements with triggers off, as someone with direct database access could. */
async function tamper(ds: DataSource, ...statements: string[]): Promise<void> {
  await ds.transaction(async (manager) => {
    await manager.query(`SET LOCAL session_replication_role = replica`);
    for (const s of statements) await manager.query(s);
  });
}

describe('appendAuditEvent', () => {
  it('chains five events from the genesis hash, each hash recomputable', async () => {
    const { ds } = await fresh();
    const events = await appendN(ds, 5);

    expect(events.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(events[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < 5; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
    expect(new Set(events.map((e) => e.hash)).size).toBe(5);

    const stored = (await ds.query(`SELECT seq::text AS seq, id, at, changes, hash FROM audit_events ORDER BY seq`)) as Array<{
      seq: string;
      id: string;
      at: Date;
      changes: Record<string, unknown>;
      hash: string;
    }>;
    expect(stored.map((r) => r.id)).toEqual(events.map((e) => e.id));
    expect(stored[2].changes).toEqual({ n: 3, rag: { from: 'green', to: 'amber' }, targetDate: '2026-03-31', list: [1, 'two', null] });
    expect(stored[2].hash).toBe(auditHash(events[1].hash, { ...events[2], at: stored[2].at, changes: stored[2].changes }));

    await expect(verifyAuditChain(ds)).resolves.toEqual({ ok: true, count: 5 });
  });

  it('stores Dates inside changes, odd key orders and a caller-given time so that the hash still verifies', async () => {
    const { ds } = await fresh();
    const at = new Date('2026-01-15T10:20:30.456Z');
    const e = await append(ds, event(1, { at, changes: { z: 1, a: { y: new Date('2026-02-01T00:00:00Z'), b: undefined, c: 2 } } }));
    expect(e.at.toISOString()).toBe('2026-01-15T10:20:30.456Z');
    const [row] = (await ds.query(`SELECT changes, at FROM audit_events`)) as Array<{ changes: unknown; at: Date }>;
    expect(row.changes).toEqual({ z: 1, a: { y: '2026-02-01T00:00:00.000Z', c: 2 } });
    expect(row.at.toISOString()).toBe('2026-01-15T10:20:30.456Z');
    await expect(verifyAuditChain(ds)).resolves.toEqual({ ok: true, count: 1 });
  });

  it('keeps one valid chain with four concurrent appenders (separate pools) of ten events each', async () => {
    const { ds, url } = await fresh();
    const processes = Array.from({ length: 4 }, () => createDataSource(url, { poolSize: 3 }));
    cleanups.push(async () => {
      for (const p of processes) if (p.isInitialized) await p.destroy();
    });
    await Promise.all(processes.map((p) => p.initialize()));

    await Promise.all(
      processes.map(async (p, w) => {
        for (let i = 1; i <= 10; i++) {
          await p.transaction(async (manager) => {
            await appendAuditEvent(manager, event(i, { comment: `worker ${w} event ${i}` }));
            // hold the transaction open a moment so that the others queue on the lock
            await manager.query(`SELECT pg_sleep(0.002)`);
          });
        }
      }),
    );

    await expect(verifyAuditChain(ds)).resolves.toEqual({ ok: true, count: 40 });
    const perWorker = (await ds.query(
      `SELECT substring(comment from 'worker (\\d)') AS w, count(*)::int AS n FROM audit_events GROUP BY 1 ORDER BY 1`,
    )) as Array<{ w: string; n: number }>;
    expect(perWorker).toEqual(['0', '1', '2', '3'].map((w) => ({ w, n: 10 })));
  });

  it('leaves the chain valid when the recording transaction rolls back', async () => {
    const { ds } = await fresh();
    await appendN(ds, 2);
    await expect(
      ds.transaction(async (manager) => {
        await appendAuditEvent(manager, event(3));
        throw new Error('the change it records failed');
      }),
    ).rejects.toThrow('the change it records failed');
    const next = await append(ds, event(4));
    expect(Number(next.seq)).toBe(4); // seq 3 was consumed and lost: gaps are fine, the links are what count
    await expect(verifyAuditChain(ds)).resolves.toEqual({ ok: true, count: 3 });
  });

  it('refuses to run outside a transaction or under REPEATABLE READ', async () => {
    const { ds } = await fresh();
    await expect(appendAuditEvent(ds.manager, event(1))).rejects.toThrow(/inside a transaction/);
    await expect(ds.transaction('REPEATABLE READ', (manager) => appendAuditEvent(manager, event(1)))).rejects.toThrow(
      /READ COMMITTED/,
    );
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_events`)).toEqual([{ n: 0 }]);
  });
});

describe('the audit log is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    const { ds } = await fresh();
    await appendN(ds, 2);
    await expect(ds.query(`UPDATE audit_events SET comment = 'rewritten' WHERE seq = 1`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(ds.query(`DELETE FROM audit_events WHERE seq = 1`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(ds.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await ds.query(`SELECT seq::int, comment FROM audit_events ORDER BY seq`)).toEqual([
      { seq: 1, comment: 'event 1' },
      { seq: 2, comment: 'event 2' },
    ]);
  });
});

describe('verifyAuditChain names the first broken event', () => {
  it('an edited row: hash_mismatch at that row', async () => {
    const { ds } = await fresh();
    const events = await appendN(ds, 5);
    await tamper(ds, `UPDATE audit_events SET comment = 'nothing to see' WHERE seq = 3`);
    await expect(verifyAuditChain(ds)).resolves.toEqual({
      ok: false,
      count: 2,
      firstBroken: { seq: '3', id: events[2].id },
      reason: 'hash_mismatch',
    });
  });

  it('an edited jsonb change or time: hash_mismatch at that row', async () => {
    const { ds } = await fresh();
    const events = await appendN(ds, 4);
    await tamper(ds, `UPDATE audit_events SET changes = jsonb_set(changes, '{rag,to}', '"green"') WHERE seq = 2`);
    await expect(verifyAuditChain(ds)).resolves.toMatchObject({ ok: false, firstBroken: { seq: '2', id: events[1].id }, reason: 'hash_mismatch' });

    const other = await fresh();
    const more = await appendN(other.ds, 4);
    await tamper(other.ds, `UPDATE audit_events SET at = at + interval '1 millisecond' WHERE seq = 4`);
    await expect(verifyAuditChain(other.ds)).resolves.toMatchObject({ ok: false, count: 3, firstBroken: { seq: '4', id: more[3].id } });
  });

  it('a deleted middle row: broken_link at the row after it', async () => {
    const { ds } = await fresh();
    const events = await appendN(ds, 5);
    await tamper(ds, `DELETE FROM audit_events WHERE seq = 3`);
    await expect(verifyAuditChain(ds)).resolves.toEqual({
      ok: false,
      count: 2,
      firstBroken: { seq: '4', id: events[3].id },
      reason: 'broken_link',
    });
  });

  it('two rows whose contents are swapped (hashes and all): detected at the first of them', async () => {
    const { ds } = await fresh();
    const events = await appendN(ds, 5);
    const cols = `at, actor_id, entity_type, entity_id, action, from_status, to_status, comment, changes, prev_hash, hash`;
    const set = cols
      .split(', ')
      .map((c) => `${c} = o.${c}`)
      .join(', ');
    // ids are unique: swap them through a placeholder first
    await tamper(
      ds,
      `UPDATE audit_events a SET ${set} FROM audit_events o WHERE (a.seq, o.seq) IN ((2, 4), (4, 2))`,
      `UPDATE audit_events SET id = gen_random_uuid() WHERE seq = 2`,
      `UPDATE audit_events SET id = '${events[1].id}' WHERE seq = 4`,
      `UPDATE audit_events SET id = '${events[3].id}' WHERE seq = 2`,
    );
    const verdict = await verifyAuditChain(ds);
    expect(verdict).toMatchObject({ ok: false, count: 1, firstBroken: { seq: '2', id: events[3].id } });
  });

  it('two rows whose payloads are swapped (hashes left in place): hash_mismatch at the first of them', async () => {
    const { ds } = await fresh();
    const events = await appendN(ds, 5);
    await tamper(ds, `UPDATE audit_events a SET comment = o.comment, changes = o.changes FROM audit_events o WHERE (a.seq, o.seq) IN ((2, 3), (3, 2))`);
    await expect(verifyAuditChain(ds)).resolves.toEqual({
      ok: false,
      count: 1,
      firstBroken: { seq: '2', id: events[1].id },
      reason: 'hash_mismatch',
    });
  });

  it('pages through a long chain and finds a break beyond the first page', async () => {
    const { ds } = await fresh();
    // Build 12,001 linked rows directly (appendAuditEvent one by one would be slow), then verify.
    const total = 12_001;
    let prev = GENESIS_HASH;
    const base = Date.parse('2026-01-01T00:00:00Z');
    const rows: unknown[][] = [];
    for (let i = 1; i <= total; i++) {
      const e = {
        seq: String(i),
        at: new Date(base + i * 1000),
        actorId: null,
        entityType: 'recommendation',
        entityId,
        action: 'update_progress',
        fromStatus: 'planned',
        toStatus: 'planned',
        comment: null,
        changes: { i },
      };
      const hash = auditHash(prev, e);
      rows.push([e.seq, e.at.toISOString(), e.entityType, e.entityId, e.action, e.fromStatus, e.toStatus, JSON.stringify(e.changes), prev, hash]);
      prev = hash;
    }
    for (let i = 0; i < rows.length; i += 2_000) {
      const chunk = rows.slice(i, i + 2_000);
      const col = (k: number) => chunk.map((r) => r[k]);
      await ds.query(
        `INSERT INTO audit_events (seq, at, entity_type, entity_id, action, from_status, to_status, changes, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::text[])`,
        Array.from({ length: 10 }, (_, k) => col(k)),
      );
    }
    await ds.query(`SELECT setval('audit_events_seq_seq', $1)`, [total]);

    await expect(verifyAuditChain(ds)).resolves.toEqual({ ok: true, count: total });
    // the next append links onto the bulk-built chain
    const next = await append(ds, event(1));
    expect(next.seq).toBe(String(total + 1));
    expect(next.prevHash).toBe(prev);
    await expect(verifyAuditChain(ds)).resolves.toEqual({ ok: true, count: total + 1 });

    await tamper(ds, `UPDATE audit_events SET action = 'close' WHERE seq = 10500`);
    await expect(verifyAuditChain(ds)).resolves.toMatchObject({ ok: false, count: 10_499, firstBroken: { seq: '10500' }, reason: 'hash_mismatch' });
  });
});
