// `npm run bench [name]`: runs the benchmarks (each against its baseline in the same run), prints a line each and keeps
// the JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchOverdueList } from './overdue-list.bench.js';
import { benchFanout } from './fanout.bench.js';
import { benchScheduling } from './scheduling.bench.js';
import { benchTransitions } from './transitions.bench.js';
import { benchLoad } from './load.bench.js';
import { benchWorkerRss } from './worker-rss.bench.js';
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
    console.log(
      `overdue list (${r.rows} recommendations): ${q.name}: ${q.indexedMs.toFixed(2)} ms indexed vs ${q.seqScanMs.toFixed(1)} ms without indexes (${q.speedup.toFixed(0)}× faster); plan: ${q.plan}`,
    );
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

if (!only || only === 'transitions') {
  const runs = await benchTransitions();
  results.transitions = runs;
  for (const r of runs) {
    const levels = r.levels
      .map(
        (l) =>
          `${l.clients} client${l.clients === 1 ? '' : 's'} ${l.medianPerSecond.toFixed(0)}/s (${(l.lockWaitShare * 100).toFixed(0)} % of active sessions waiting for a lock, ` +
          `machine ${(l.machineCpuBusy * 100).toFixed(0)} % busy, CPU ms per transition ${Object.entries(
            l.cpuMsPerTransition,
          )
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(', ')})`,
      )
      .join(', ');
    console.log(
      `transitions, ${r.build} (median of ${r.sweeps} sweeps of ${r.measureSeconds} s, distinct recommendations, over HTTP): ${levels}; ` +
        `ratio ×${r.ratio.toFixed(1)} (target ≥ ×3; this machine's CPU allows at most ×${r.cpuCeilingRatio.toFixed(1)}); non-200 answers ${JSON.stringify(r.errors)}; transitions after the pool ran out ${r.afterPoolRanOut}`,
    );
  }
}

if (!only || only === 'load') {
  const r = await benchLoad();
  results.load = r;
  for (const e of r.endpoints) {
    console.log(
      `load (${r.rows} recommendations, ${r.connections} connections, median of ${r.rounds}): ${e.name}: tracker ${e.tracker.toFixed(0)} req/s ` +
        `(${e.trackerWithoutRequestLogs.toFixed(0)} without request logs${e.compared === undefined ? '' : `; compared build ${e.compared.toFixed(0)}`}); raw pg, same SQL ${e.baselineSameSql.toFixed(0)} req/s → ${(e.ratioSameSql * 100).toFixed(0)} %; ` +
        `recommendation SQL only ${e.baselineRecommendationSqlOnly.toFixed(0)} req/s → ${(e.ratioRecommendationSqlOnly * 100).toFixed(0)} % (target ≥ 70 %); ` +
        `median of per-round ratios ${(e.roundRatioSameSql * 100).toFixed(0)} % / ${(e.roundRatioRecommendationSqlOnly * 100).toFixed(0)} %; ` +
        `server CPU ms/request ${Object.entries(e.cpuMsPerRequest)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', ')} (baseline/tracker ${(e.cpuRatioSameSql * 100).toFixed(0)} %); same JSON: ${e.sameJson}`,
    );
  }
}

if (!only || only === 'worker-rss') {
  const r = await benchWorkerRss();
  results.workerRss = r;
  console.log(
    `worker rss: ${r.delivered}/${r.notices} notices delivered (${r.distinctMessageIds} distinct Message-IDs, ledger sent ${r.ledgerSent}) in ${r.seconds.toFixed(0)} s (${r.perSecond.toFixed(0)}/s); ` +
      `${r.maxOldSpaceMb === null ? '' : `V8 old space capped at ${r.maxOldSpaceMb} MB; `}RSS first decile ${r.firstDecileMb.toFixed(0)} MB, last decile ${r.lastDecileMb.toFixed(0)} MB (${(r.growth * 100).toFixed(1)} %, target within ±10 %), peak ${r.peakMb.toFixed(0)} MB`,
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
      r.export
        .map(
          (e) =>
            `export ${e.rows} rows in ${e.seconds.toFixed(1)} s, peak RSS ${e.peakRssMb} MB (old space capped at ${e.heapLimitMb} MB)`,
        )
        .join('; '),
  );
}

mkdirSync('bench/results', { recursive: true });
writeFileSync(`bench/results/${Date.now()}.json`, JSON.stringify(results, null, 2));
process.exit(0);
