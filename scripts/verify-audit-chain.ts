/**
 * `npm run audit:verify`: checks the audit log's hash chain end to end.
 * Prints one line and exits 0 when intact, 1 when broken (2 when it could not check at all).
 */
import { pathToFileURL } from 'node:url';
import { createDataSource, verifyAuditChain } from '#persistence';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/followup';

/** Verifies the chain in the database at `url`, writes the verdict with `print`, returns the exit code. */
export async function verifyMain(url: string, print: (line: string) => void = (l) => console.log(l)): Promise<number> {
  const ds = createDataSource(url, { poolSize: 1 });
  await ds.initialize();
  try {
    const verdict = await verifyAuditChain(ds);
    if (verdict.ok) {
      print(`audit chain OK: ${verdict.count} events`);
      return 0;
    }
    print(`audit chain BROKEN at seq ${verdict.firstBroken.seq} (id ${verdict.firstBroken.id}): ${verdict.reason}`);
    return 1;
  } finally {
    await ds.destroy();
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  verifyMain(process.env.DATABASE_URL || DEFAULT_DATABASE_URL).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`audit chain not verified: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    },
  );
}
