// The audit log on real PostgreSQL: lock-free appends, the sequencer's order, and what verification finds.
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource, QueryRunner } from 'typeorm';
import {
  appendAuditEvent,
  auditChainKey,
  canonicalJson,
  chainHash,
  chainHead,
  createDataSource,
  GENESIS_HASH,
  sequenceAuditEvents,
  verifyAuditChain,
  type AuditEventEntity,
  type AuditEventFields,
  type AuditEventInput,
} from '../../libs/persistence/src/index.js';
import { migratedDataSource, tamper, type MigratedDataSource } from '../support/database.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fresh(poolSize = 5): Promise<MigratedDataSource> {
  const m = await migratedDataSource({ poolSize });
  cleanups.push(m.cleanup);
  return m;
}

/** A connection of its own on `ds` (released after the test), with a transaction open unless told otherwise. */
async function separateConnection(ds: DataSource, { begin = true } = {}): Promise<QueryRunner> {
  const runner = ds.createQueryRunner();
  cleanups.push(() => runner.release());
  await runner.connect();
  if (begin) await runner.startTransaction();
  return runner;
}

const KEY = auditChainKey('integration-test-audit-key-0123456789');
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

/** Appends n events, one transaction each, and chains them. */
async function chained(ds: DataSource, n: number): Promise<AuditEventEntity[]> {
  const out: AuditEventEntity[] = [];
  for (let i = 1; i <= n; i++) out.push(await append(ds, event(i)));
  await sequenceAuditEvents(ds, KEY);
  return out;
}

/**
 * What verifyAuditChain answers when the first broken link is at `position`: `count` links verified before it, and the
 * event found there (none when it is missing).
 */
const brokenAt = (count: number, position: string, event: { seq: string; id: string } | null, reason: string) => ({
  ok: false,
  count,
  firstBroken: { position, seq: event?.seq ?? null, id: event?.id ?? null },
  reason,
});

const chainRows = (ds: DataSource) =>
  ds.query<Array<{ position: number; seq: number; prev_hash: string; hash: string }>>(
    `SELECT position::int AS position, event_seq::int AS seq, prev_hash, hash FROM audit_chain ORDER BY position`,
  );

describe('appendAuditEvent and the sequencer', () => {
  it('chains five events from the genesis hash, each HMAC recomputable from the stored event', async () => {
    const { ds } = await fresh();
    const events = await chained(ds, 5);

    const links = await chainRows(ds);
    expect(links.map((l) => [l.position, l.seq])).toEqual([1, 2, 3, 4, 5].map((n) => [n, Number(events[n - 1].seq)]));
    expect(links[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < 5; i++) expect(links[i].prev_hash).toBe(links[i - 1].hash);

    const [stored] = await ds.query<
      Array<{
        at: Date;
        changes: Record<string, unknown>;
      }>
    >(`SELECT at, changes FROM audit_events WHERE seq = $1`, [events[2].seq]);
    expect(stored.changes).toEqual({
      n: 3,
      rag: { from: 'green', to: 'amber' },
      targetDate: '2026-03-31',
      list: [1, 'two', null],
    });
    expect(links[2].hash).toBe(
      chainHash(KEY, links[1].hash, '3', { ...events[2], at: stored.at, changes: stored.changes }),
    );

    await expect(verifyAuditChain(ds, KEY)).resolves.toEqual({
      ok: true,
      count: 5,
      head: { position: '5', hash: links[4].hash },
      unsequenced: 0,
    });
    // A second run finds nothing new.
    await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({
      ran: true,
      sequenced: 0,
      head: { position: '5' },
    });
  });

  it('stores Dates inside changes, odd key orders and a caller-given time so that the hash still verifies', async () => {
    const { ds } = await fresh();
    const at = new Date('2026-01-15T10:20:30.456Z');
    const e = await append(
      ds,
      event(1, { at, changes: { z: 1, a: { y: new Date('2026-02-01T00:00:00Z'), b: undefined, c: 2 } } }),
    );
    expect(e.at.toISOString()).toBe('2026-01-15T10:20:30.456Z');
    await sequenceAuditEvents(ds, KEY);
    const [row] = await ds.query<Array<{ changes: unknown; at: Date }>>(`SELECT changes, at FROM audit_events`);
    expect(row.changes).toEqual({ z: 1, a: { y: '2026-02-01T00:00:00.000Z', c: 2 } });
    expect(row.at.toISOString()).toBe('2026-01-15T10:20:30.456Z');
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: 1 });
  });

  it('lets a writer append while another transaction holding an event is still open: no lock in the write path', async () => {
    const { ds } = await fresh();
    const holder = await separateConnection(ds);
    await appendAuditEvent(holder.manager, event(1, { comment: 'held open' }));

    // Appending takes no lock an open transaction holds: under a statement timeout it still completes at once.
    await ds.transaction(async (manager) => {
      await manager.query(`SET LOCAL statement_timeout = '2s'`);
      await appendAuditEvent(manager, event(2, { comment: 'not blocked' }));
    });
    await holder.commitTransaction();
    await sequenceAuditEvents(ds, KEY);
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: 2 });
  });

  it('never chains past a transaction still open, and chains its event first once it commits', async () => {
    const { ds } = await fresh();
    const early = await separateConnection(ds);
    const first = await appendAuditEvent(early.manager, event(1, { comment: 'began first, commits last' }));
    const second = await append(ds, event(2, { comment: 'began second, commits first' }));

    // The open transaction holds the horizon back: the committed later event waits behind it.
    await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({ ran: true, sequenced: 0 });
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: 0, unsequenced: 1 });

    await early.commitTransaction();
    await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({ ran: true, sequenced: 2 });
    expect((await chainRows(ds)).map((l) => String(l.seq))).toEqual([first.seq, second.seq]);
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: 2, unsequenced: 0 });
  });

  it('keeps one valid chain with four concurrent appenders (separate pools) and two sequencers running meanwhile', async () => {
    const { ds, url } = await fresh();
    const processes = Array.from({ length: 4 }, () => createDataSource(url, { poolSize: 3 }));
    cleanups.push(async () => {
      for (const p of processes) if (p.isInitialized) await p.destroy();
    });
    await Promise.all(processes.map((p) => p.initialize()));

    let writing = true;
    const sequencers = [processes[0], processes[1]].map(async (p) => {
      while (writing) {
        await sequenceAuditEvents(p, KEY, 7);
        await new Promise((resolve) => setTimeout(resolve, 5)); // a pause between runs, not a wait for a result
      }
    });
    await Promise.all(
      processes.map(async (p, w) => {
        for (let i = 1; i <= 10; i++) {
          await p.transaction(async (manager) => {
            await appendAuditEvent(manager, event(i, { comment: `worker ${w} event ${i}` }));
            await manager.query(`SELECT pg_sleep(0.002)`);
          });
        }
      }),
    );
    writing = false;
    await Promise.all(sequencers);
    await sequenceAuditEvents(ds, KEY);

    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: 40, unsequenced: 0 });
    const perWorker = await ds.query<Array<{ w: string; n: number }>>(
      `SELECT substring(e.comment from 'worker (\\d)') AS w, count(*)::int AS n FROM audit_chain c JOIN audit_events e ON e.seq = c.event_seq GROUP BY 1 ORDER BY 1`,
    );
    expect(perWorker).toEqual(['0', '1', '2', '3'].map((w) => ({ w, n: 10 })));
  });

  it('lets only one sequencer run at a time; the other returns at once', async () => {
    const { ds } = await fresh();
    await chained(ds, 1);
    const holder = await separateConnection(ds, { begin: false });
    await holder.query(`SELECT pg_advisory_lock(4683940003)`);
    await append(ds, event(2));
    await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({
      ran: false,
      sequenced: 0,
      head: { position: '1' },
    });
    await holder.query(`SELECT pg_advisory_unlock(4683940003)`);
    await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({
      ran: true,
      sequenced: 1,
      head: { position: '2' },
    });
  });

  it('leaves no event when the recording transaction rolls back, and refuses to run outside a transaction', async () => {
    const { ds } = await fresh();
    await chained(ds, 2);
    await expect(
      ds.transaction(async (manager) => {
        await appendAuditEvent(manager, event(3));
        throw new Error('the change it records failed');
      }),
    ).rejects.toThrow('the change it records failed');
    await expect(appendAuditEvent(ds.manager, event(4))).rejects.toThrow(/inside a transaction/);
    await sequenceAuditEvents(ds, KEY);
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: 2, unsequenced: 0 });
  });
});

describe('the audit tables are append-only', () => {
  it('refuse UPDATE, DELETE and TRUNCATE of events and links, whoever asks', async () => {
    const { ds } = await fresh();
    await chained(ds, 2);
    for (const table of ['audit_events', 'audit_chain']) {
      await expect(
        ds.query(`UPDATE ${table} SET ${table === 'audit_events' ? `comment = 'x'` : `hash = 'x'`}`),
      ).rejects.toThrow(new RegExp(`${table} is append-only: UPDATE refused`));
      await expect(ds.query(`DELETE FROM ${table}`)).rejects.toThrow(
        new RegExp(`${table} is append-only: DELETE refused`),
      );
    }
    await expect(ds.query(`TRUNCATE audit_chain`)).rejects.toThrow(/audit_chain is append-only: TRUNCATE refused/);
    await expect(ds.query(`TRUNCATE audit_events CASCADE`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect(await ds.query(`SELECT count(*)::int AS n FROM audit_chain`)).toEqual([{ n: 2 }]);
  });
});

describe('verifyAuditChain names the first broken link', () => {
  it('an edited event: hash_mismatch at its position', async () => {
    const { ds } = await fresh();
    const events = await chained(ds, 5);
    await tamper(ds, `UPDATE audit_events SET comment = 'nothing to see' WHERE seq = ${events[2].seq}`);
    await expect(verifyAuditChain(ds, KEY)).resolves.toEqual(brokenAt(2, '3', events[2], 'hash_mismatch'));
  });

  it('an edited jsonb change or time: hash_mismatch at that position', async () => {
    const { ds } = await fresh();
    const events = await chained(ds, 4);
    await tamper(
      ds,
      `UPDATE audit_events SET changes = jsonb_set(changes, '{rag,to}', '"green"') WHERE seq = ${events[1].seq}`,
    );
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({
      ok: false,
      firstBroken: { position: '2', id: events[1].id },
      reason: 'hash_mismatch',
    });

    const other = await fresh();
    const more = await chained(other.ds, 4);
    await tamper(other.ds, `UPDATE audit_events SET at = at + interval '1 millisecond' WHERE seq = ${more[3].seq}`);
    await expect(verifyAuditChain(other.ds, KEY)).resolves.toMatchObject({
      ok: false,
      count: 3,
      firstBroken: { position: '4', id: more[3].id },
    });
  });

  it('a deleted event with its link: broken_link at the next position; a deleted event alone: missing_event', async () => {
    const { ds } = await fresh();
    const events = await chained(ds, 5);
    await tamper(
      ds,
      `DELETE FROM audit_chain WHERE position = 3`,
      `DELETE FROM audit_events WHERE seq = ${events[2].seq}`,
    );
    await expect(verifyAuditChain(ds, KEY)).resolves.toEqual(brokenAt(2, '4', events[3], 'broken_link'));

    const other = await fresh();
    const more = await chained(other.ds, 3);
    await tamper(other.ds, `DELETE FROM audit_events WHERE seq = ${more[1].seq}`);
    await expect(verifyAuditChain(other.ds, KEY)).resolves.toEqual(brokenAt(1, '2', null, 'missing_event'));
  });

  it('a chain recomputed without the key (sha256, or HMAC with a guessed key) fails at its first link', async () => {
    const { ds } = await fresh();
    await chained(ds, 4);
    // Each link's position and its event's fields, named as the chain hashes them.
    const rows = await ds.query<Array<AuditEventFields & { position: string }>>(
      `SELECT c.position::text AS position, e.seq::text AS seq, e.id, e.at, e.actor_id AS "actorId", e.entity_type AS "entityType", e.entity_id AS "entityId",
              e.action, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.comment, e.changes
         FROM audit_chain c JOIN audit_events e ON e.seq = c.event_seq ORDER BY c.position`,
    );
    for (const recompute of [
      (prev: string, position: string, e: AuditEventFields) =>
        createHash('sha256')
          .update(canonicalJson({ prevHash: prev, position, ...e }))
          .digest('hex'),
      (prev: string, position: string, e: AuditEventFields) =>
        chainHash(auditChainKey('a-guessed-key-a-guessed-key-a-guessed'), prev, position, e),
    ]) {
      // The owner edits event 2 and rewrites every link after recomputing it their way.
      let prev = GENESIS_HASH;
      const statements = [`UPDATE audit_events SET comment = 'rewritten' WHERE seq = ${rows[1].seq}`];
      for (const { position, ...event } of rows) {
        const hash = recompute(prev, position, {
          ...event,
          comment: event.seq === rows[1].seq ? 'rewritten' : event.comment,
        });
        statements.push(`UPDATE audit_chain SET prev_hash = '${prev}', hash = '${hash}' WHERE position = ${position}`);
        prev = hash;
      }
      await tamper(ds, ...statements);
      await expect(verifyAuditChain(ds, KEY)).resolves.toEqual(brokenAt(0, '1', rows[0], 'hash_mismatch'));
    }
  });

  it('a cut-off tail verifies on its own, and is found against an earlier checkpoint', async () => {
    const { ds } = await fresh();
    const events = await chained(ds, 5);
    const [checkpoint] = await ds.query<Array<{ position: string; hash: string }>>(
      `SELECT position::text AS position, hash FROM audit_chain WHERE position = 4`,
    );
    await expect(verifyAuditChain(ds, KEY, checkpoint)).resolves.toMatchObject({ ok: true, count: 5 });

    await tamper(
      ds,
      `DELETE FROM audit_chain WHERE position >= 3`,
      `DELETE FROM audit_events WHERE seq IN (${events
        .slice(2)
        .map((e) => e.seq)
        .join(', ')})`,
    );
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: 2 });
    await expect(verifyAuditChain(ds, KEY, checkpoint)).resolves.toEqual({
      ok: false,
      count: 2,
      reason: 'truncated',
      head: { position: '2', hash: expect.any(String) },
    });
  });

  it('a checkpoint whose position now holds another hash: checkpoint_mismatch there', async () => {
    const { ds } = await fresh();
    const events = await chained(ds, 3);
    await expect(verifyAuditChain(ds, KEY, { position: '2', hash: 'e'.repeat(64) })).resolves.toEqual(
      brokenAt(1, '2', events[1], 'checkpoint_mismatch'),
    );
  });

  it('pages through a long chain, sequenced in batches, and finds a break beyond the first page', async () => {
    const { ds } = await fresh(2);
    const total = 12_001;
    await ds.query(
      `INSERT INTO audit_events (at, entity_type, entity_id, action, from_status, to_status, changes)
       SELECT timestamptz '2026-01-01T00:00:00Z' + g * interval '1 second', 'recommendation', $1, 'update_progress', 'planned', 'planned', jsonb_build_object('i', g)
         FROM generate_series(1, $2) g`,
      [entityId, total],
    );
    await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({
      ran: true,
      sequenced: total,
      head: { position: String(total) },
    });
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({ ok: true, count: total });

    await append(ds, event(1));
    await expect(sequenceAuditEvents(ds, KEY)).resolves.toMatchObject({
      sequenced: 1,
      head: { position: String(total + 1) },
    });
    await expect(chainHead(ds)).resolves.toMatchObject({ position: String(total + 1) }); // by number: 12002 after 9999
    await tamper(
      ds,
      `UPDATE audit_events SET action = 'close' WHERE seq = (SELECT event_seq FROM audit_chain WHERE position = 10500)`,
    );
    await expect(verifyAuditChain(ds, KEY)).resolves.toMatchObject({
      ok: false,
      count: 10_499,
      firstBroken: { position: '10500' },
      reason: 'hash_mismatch',
    });
  });
});
