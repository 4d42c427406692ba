// The production API (dist/apps/api/main.js) under the V8 CPU profiler, for the load benchmark's
// BENCH_LOAD_CPU_PROF: the first 'profile' message from the parent (IPC; signals are Nest's shutdown
// hooks') starts profiling, the next writes the profile to that folder with a summary of where the time
// went, and so on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

const dir = process.env.BENCH_LOAD_CPU_PROF ?? 'bench/results';
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
let profiling = false;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time by function and by package (node_modules/<name>, node:internal, or the app's own code). */
function summarise(profile: { nodes: ProfileNode[]; samples: number[] }): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, count] of hits) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const pkg =
      /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (url.startsWith('node:') || url === '' ? url || functionName : 'app');
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '')}:${lineNumber}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + count);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  const idle = byPackage.get('(idle)') ?? 0;
  return `${total} samples, ${((100 * idle) / total).toFixed(1)} % idle\nself time by package:\n${top(byPackage, 20)}\nself time by function:\n${top(byFunction, 40)}`;
}

process.on('message', (message) => {
  if (message !== 'profile') return;
  void (async () => {
    profiling = !profiling;
    if (profiling) return session.post('Profiler.start');
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `api-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    writeFileSync(`${file}.txt`, summarise(profile as unknown as { nodes: ProfileNode[]; samples: number[] }));
    console.error(`cpu profile written to ${file}`);
    process.send?.('profiled');
  })();
});

await import('../apps/api/main.js');
