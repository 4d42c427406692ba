// `npm run audit:verify [-- --checkpoint FILE]` on real PostgreSQL: verdict lines and exit codes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  appendAuditEvent,
  auditChainKey,
  chainHead,
  checkpointKeys,
  sequenceAuditEvents,
  signCheckpoint,
} from '../../libs/persistence/src/index.js';
import { parseArgs, verifyMain } from '../../scripts/verify-audit-chain.js';
import { migratedDataSource, tamper, type MigratedDataSource } from '../support/database.js';

const AUDIT_KEY = 'verify-test-audit-key-0123456789abcdef';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function append(m: MigratedDataSource, n: number): Promise<Array<{ seq: string; id: string }>> {
  const out: Array<{ seq: string; id: string }> = [];
  for (let i = 1; i <= n; i++) {
    const e = await m.ds.transaction((manager) =>
      appendAuditEvent(manager, {
        actorId: null,
        entityType: 'inspection',
        entityId: '00000000-0000-4000-8000-000000000001',
        action: 'create',
        changes: { i },
      }),
    );
    out.push({ seq: e.seq, id: e.id });
  }
  await sequenceAuditEvents(m.ds, auditChainKey(AUDIT_KEY));
  return out;
}

async function withEvents(n: number): Promise<MigratedDataSource & { events: Array<{ seq: string; id: string }> }> {
  const m = await migratedDataSource({ poolSize: 2 });
  cleanups.push(m.cleanup);
  return { ...m, events: await append(m, n) };
}

async function run(
  url: string,
  checkpointFile?: string,
  auditKey = AUDIT_KEY,
): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await verifyMain(url, { auditKey, checkpointFile, print: (l) => lines.push(l) });
  return { code, lines };
}

/** Saves the current head as GET /audit/checkpoint would sign it, and returns the file's path. */
async function saveCheckpoint(m: MigratedDataSource, auditKey = AUDIT_KEY): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'checkpoint-')), 'checkpoint.json');
  writeFileSync(file, JSON.stringify(signCheckpoint(checkpointKeys(auditKey), await chainHead(m.ds), new Date())));
  return file;
}

describe('npm run audit:verify (verifyMain)', () => {
  it('prints OK with the count and exits 0 on an intact chain, and on an empty one', async () => {
    const m = await withEvents(3);
    expect(await run(m.url)).toEqual({ code: 0, lines: ['audit chain OK: 3 events'] });
    const empty = await withEvents(0);
    expect(await run(empty.url)).toEqual({ code: 0, lines: ['audit chain OK: 0 events'] });
  });

  it('says how many newer events are not chained yet', async () => {
    const m = await withEvents(2);
    await m.ds.transaction((manager) =>
      appendAuditEvent(manager, {
        actorId: null,
        entityType: 'user',
        entityId: '00000000-0000-4000-8000-000000000002',
        action: 'x',
      }),
    );
    expect(await run(m.url)).toEqual({ code: 0, lines: ['audit chain OK: 2 events; 1 newer events not chained yet'] });
  });

  it('names the first broken event of an edited row and of a deleted row, and exits 1', async () => {
    const m = await withEvents(3);
    await tamper(m.ds, `UPDATE audit_events SET action = 'delete' WHERE seq = ${m.events[1].seq}`);
    expect(await run(m.url)).toEqual({
      code: 1,
      lines: [`audit chain BROKEN at position 2 (seq ${m.events[1].seq}, id ${m.events[1].id}): hash_mismatch`],
    });

    const d = await withEvents(3);
    await tamper(
      d.ds,
      `DELETE FROM audit_chain WHERE position = 2`,
      `DELETE FROM audit_events WHERE seq = ${d.events[1].seq}`,
    );
    expect(await run(d.url)).toEqual({
      code: 1,
      lines: [`audit chain BROKEN at position 3 (seq ${d.events[2].seq}, id ${d.events[2].id}): broken_link`],
    });
  });

  it('fails verification with another AUDIT_KEY: a chain made (or remade) without the key does not verify', async () => {
    const m = await withEvents(2);
    expect(await run(m.url, undefined, 'another-audit-key-0123456789abcdef0123')).toEqual({
      code: 1,
      lines: [`audit chain BROKEN at position 1 (seq ${m.events[0].seq}, id ${m.events[0].id}): hash_mismatch`],
    });
  });

  it('with --checkpoint: holds an earlier checkpoint, and finds a truncated tail that alone verifies', async () => {
    const m = await withEvents(3);
    const file = await saveCheckpoint(m);
    await append(m, 2);
    expect(await run(m.url, file)).toEqual({
      code: 0,
      lines: ['audit chain OK: 5 events; holds the checkpoint at position 3'],
    });

    await tamper(
      m.ds,
      `DELETE FROM audit_chain WHERE position >= 2`,
      `DELETE FROM audit_events WHERE seq NOT IN (SELECT event_seq FROM audit_chain)`,
    );
    expect(await run(m.url)).toEqual({ code: 0, lines: ['audit chain OK: 1 events'] });
    expect(await run(m.url, file)).toEqual({
      code: 1,
      lines: [`audit chain BROKEN: it ends at position 1, before the checkpoint's position 3: truncated`],
    });
  });

  it('refuses (exit 2) a checkpoint signed with another key or edited, and a file that is not one', async () => {
    const m = await withEvents(2);
    const forged = await saveCheckpoint(m, 'a-forger-s-own-audit-key-0123456789abc');
    expect(await run(m.url, forged)).toEqual({
      code: 2,
      lines: [`checkpoint ${forged} not usable: the checkpoint signature does not verify with this AUDIT_KEY`],
    });

    const genuine = await saveCheckpoint(m);
    const edited = genuine.replace('checkpoint.json', 'edited.json');
    writeFileSync(edited, JSON.stringify({ ...JSON.parse(readFileSync(genuine, 'utf8')), position: 1 }));
    expect((await run(m.url, edited)).code).toBe(2);

    const garbage = genuine.replace('checkpoint.json', 'garbage.json');
    writeFileSync(garbage, 'not json');
    expect((await run(m.url, garbage)).code).toBe(2);
  });

  it('reads --checkpoint FILE and --checkpoint=FILE, and refuses other arguments', () => {
    expect(parseArgs(['--checkpoint', 'a.json'])).toEqual({ checkpointFile: 'a.json' });
    expect(parseArgs(['--checkpoint=b.json'])).toEqual({ checkpointFile: 'b.json' });
    expect(parseArgs([])).toEqual({});
    expect(() => parseArgs(['--check'])).toThrow(/unknown argument --check/);
  });

  it('fails (rejects) when the database cannot be reached, printing no verdict', async () => {
    const m = await withEvents(0);
    const missing = m.url.replace(/followup_test_[0-9a-f]+/, 'followup_test_does_not_exist');
    const lines: string[] = [];
    await expect(verifyMain(missing, { auditKey: AUDIT_KEY, print: (l) => lines.push(l) })).rejects.toThrow(
      /does not exist/,
    );
    expect(lines).toEqual([]);
  });
});
