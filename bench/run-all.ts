import { mkdirSync, writeFileSync } from 'node:fs';
import { benchScheduling } from './scheduling.bench.js';

/** `npm run bench`: each benchmark against its baseline in the same run; not part of CI's pass/fail. */
const only = process.argv[2];
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };

if (!only || only === 'scheduling') {
  const r = await benchScheduling();
  results.scheduling = r;
  console.log(
    `scheduling: ${r.recommendations} recommendations → ${r.notifications} notifications in ${r.jobs} jobs; ` +
      `tracker ${r.trackerPerSecond.toFixed(0)}/s (${r.trackerSeconds.toFixed(2)} s), raw addBulk ${r.rawPerSecond.toFixed(0)}/s ` +
      `(${r.rawSeconds.toFixed(2)} s); ratio ${(r.ratio * 100).toFixed(0)} % (target ≥ 50 %)`,
  );
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/${Date.now()}.json`, JSON.stringify(results, null, 2));
process.exit(0);
