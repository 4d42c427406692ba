import { afterEach, describe, expect, it } from '@jest/globals';
import { appendAuditEvent } from '../../libs/persistence/src/index.js';
import { verifyMain } from '../../scripts/verify-audit-chain.js';
import { migratedDataSource, type MigratedDataSource } from '../support/database.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function withEvents(n: number): Promise<MigratedDataSource & { ids: string[] }> {
  const m = await migratedDataSource({ poolSize: 2 });
  cleanups.push(m.cleanup);
  const ids: string[] = [];
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
    ids.push(e.id);
  }
  return { ...m, ids };
}

async function run(url: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await verifyMain(url, (l) => lines.push(l));
  return { code, lines };
}

describe('npm run audit:verify (verifyMain)', () => {
  it('prints OK with the count and exits 0 on an intact chain', async () => {
    const m = await withEvents(3);
    expect(await run(m.url)).toEqual({ code: 0, lines: ['audit chain OK: 3 events'] });
  });

  it('exits 0 on an empty log', async () => {
    const m = await withEvents(0);
    expect(await run(m.url)).toEqual({ code: 0, lines: ['audit chain OK: 0 events'] });
  });

  it('names the broken event and exits 1', async () => {
    const m = await withEvents(3);
    await m.ds.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(`UPDATE audit_events SET action = 'delete' WHERE seq = 2`);
    });
    expect(await run(m.url)).toEqual({ code: 1, lines: [`audit chain BROKEN at seq 2 (id ${m.ids[1]}): hash_mismatch`] });
  });

  it('fails (rejects) when the database cannot be reached, printing no verdict', async () => {
    const m = await withEvents(0);
    const missing = m.url.replace(/followup_test_[0-9a-f]+/, 'followup_test_does_not_exist');
    const lines: string[] = [];
    await expect(verifyMain(missing, (l) => lines.push(l))).rejects.toThrow(/does not exist/);
    expect(lines).toEqual([]);
  });
});
