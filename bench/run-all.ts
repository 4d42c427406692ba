import { mkdirSync, writeFileSync } from 'node:fs';
import { benchOverdueList } from './overdue-list.bench.js';
import { benchFanout } from './fanout.bench.js';
import { benchScheduling } from './scheduling.bench.js';
import { benchRecords } from './records.bench.js';

/** `npm run bench`: each benchmark against its baseline in the same run; not part of CI's pass/fail. */
const only = process.argv[2];
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };

if (!only || only === 'scheduling') {
  const r = await benchScheduling();
  results.scheduling = r;
  console.log(
    `scheduling: ${r.recommendations} recommendations → ${r.notifications} notifications, ${r.batches} batches, ${r.jobs} jobs; ` +
      `tracker ${r.trackerPerSecond.toFixed(0)}/s (${r.trackerSeconds.toFixed(2)} s), raw addBulk ${r.rawPerSecond.toFixed(0)}/s ` +
      `(${r.rawSeconds.toFixed(2)} s); ratio ${(r.ratio * 100).toFixed(0)} % (target ≥ 50 %)`,
  );
}

if (!only || only === 'overdue-list') {
  const r = await benchOverdueList();
  results.overdueList = r;
  for (const q of r.queries) {
    console.log(`overdue list (${r.rows} recommendations): ${q.name}: ${q.indexedMs.toFixed(2)} ms indexed vs ${q.seqScanMs.toFixed(1)} ms without indexes (${q.speedup.toFixed(0)}× faster); plan: ${q.plan}`);
  }
}

if (!only || only === 'fanout') {
  const r = await benchFanout();
  results.fanout = r;
  const ms = (v: number) => `${v.toFixed(0)} ms`;
  console.log(
    `fanout: ${r.delivered}/${r.emails} notices delivered (${r.duplicates} doubled) by ${r.workers === 0 ? 'the in-process worker' : `${r.workers} worker processes`} ` +
      `(concurrency ${r.concurrency}, SMTP pool ${r.smtpPoolSize}, DB pool ${r.dbPoolSize}); tracker ${r.trackerPerSecond.toFixed(0)}/s (${r.trackerSeconds.toFixed(2)} s), ` +
      `raw pooled nodemailer ${r.rawPerSecond.toFixed(0)}/s (${r.rawSeconds.toFixed(2)} s, ${r.rawConnections} connections); ratio ${(r.ratio * 100).toFixed(0)} % (target ≥ 70 %); ` +
      `lateness p50 ${ms(r.lateness.p50Ms)}, p99 ${ms(r.lateness.p99Ms)}, max ${ms(r.lateness.maxMs)} (target p99 < 2000 ms)`,
  );
}

if (!only || only === 'records') {
  const r = await benchRecords();
  results.records = r;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `records (${r.rows} recommendations, seeded in ${r.seedSeconds.toFixed(0)} s): overdue list first page ${ms(r.overdueFirstPageMs)}; ` +
      `dashboard all forces ${ms(r.dashboardMs)}, one force ${ms(r.dashboardOneForceMs)} (target < 1000 ms); ` +
      `register of one force (${r.registerRows} recommendations) ${ms(r.registerOneForceMs)}, its ETag check ${ms(r.registerVersionMs)}; ` +
      r.export.map((e) => `export ${e.rows} rows in ${e.seconds.toFixed(1)} s, peak RSS ${e.peakRssMb} MB (old space capped at ${e.heapLimitMb} MB)`).join('; '),
  );
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/${Date.now()}.json`, JSON.stringify(results, null, 2));
process.exit(0);
