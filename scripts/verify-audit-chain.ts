/**
 * `npm run audit:verify [-- --checkpoint FILE]`: checks the audit chain end to end with AUDIT_KEY, and
 * with a checkpoint (saved from GET /audit/checkpoint) that the chain still holds it, so a cut-off tail
 * is found too. Prints one line and exits 0 when intact, 1 when broken, 2 when it could not check at all.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '#config';
import {
  auditChainKey,
  checkpointKeys,
  createDataSource,
  verifiedCheckpoint,
  verifyAuditChain,
  type ChainHead,
} from '#persistence';

export interface VerifyOptions {
  auditKey: string;
  /** A checkpoint file's path: its signature must verify with `auditKey`, and the chain must still hold it. */
  checkpointFile?: string;
  print?: (line: string) => void;
}

/** Verifies the chain in the database at `url`, writes the verdict with `print`, returns the exit code. */
export async function verifyMain(url: string, opts: VerifyOptions): Promise<number> {
  const print = opts.print ?? ((l: string) => console.log(l));
  let checkpoint: ChainHead | undefined;
  if (opts.checkpointFile !== undefined) {
    try {
      checkpoint = verifiedCheckpoint(
        checkpointKeys(opts.auditKey),
        JSON.parse(readFileSync(opts.checkpointFile, 'utf8')),
      );
    } catch (err) {
      print(`checkpoint ${opts.checkpointFile} not usable: ${(err as Error).message}`);
      return 2;
    }
  }
  const ds = createDataSource(url, { poolSize: 1 });
  await ds.initialize();
  try {
    const verdict = await verifyAuditChain(ds, auditChainKey(opts.auditKey), checkpoint);
    if (verdict.ok) {
      const holds = checkpoint ? `; holds the checkpoint at position ${checkpoint.position}` : '';
      const waiting = verdict.unsequenced > 0 ? `; ${verdict.unsequenced} newer events not chained yet` : '';
      print(`audit chain OK: ${verdict.count} events${holds}${waiting}`);
      return 0;
    }
    if (verdict.reason === 'truncated') {
      print(
        `audit chain BROKEN: it ends at position ${verdict.head.position}, before the checkpoint's position ${checkpoint!.position}: truncated`,
      );
      return 1;
    }
    const { position, seq, id } = verdict.firstBroken;
    const event = seq === null ? 'event gone' : `seq ${seq}, id ${id}`;
    print(`audit chain BROKEN at position ${position} (${event}): ${verdict.reason}`);
    return 1;
  } finally {
    await ds.destroy();
  }
}

/** `--checkpoint FILE` or `--checkpoint=FILE`; anything else is refused. */
export function parseArgs(argv: readonly string[]): { checkpointFile?: string } {
  const out: { checkpointFile?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--checkpoint' && argv[i + 1] !== undefined) out.checkpointFile = argv[++i];
    else if (arg.startsWith('--checkpoint=')) out.checkpointFile = arg.slice('--checkpoint='.length);
    else throw new Error(`unknown argument ${arg}; usage: npm run audit:verify [-- --checkpoint FILE]`);
  }
  return out;
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  Promise.resolve()
    .then(() => {
      const config = loadConfig();
      return verifyMain(config.env.DATABASE_URL, { auditKey: config.auditKey, ...parseArgs(process.argv.slice(2)) });
    })
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        console.error(`audit chain not verified: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 2;
      },
    );
}
