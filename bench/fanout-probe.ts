// The fan-out benchmark's probe of the in-process worker: database round trips, jobs in flight, pool waits, and each
// dispatch phase's time.
import { performance } from 'node:perf_hooks';
import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { DispatchObserver, DispatchPhase } from '../apps/worker/src/dispatch/dispatch-observer.js';
import { percentile } from './support.js';

export interface Lateness {
  minMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function lateness(values: number[]): Lateness {
  if (values.length === 0) return { minMs: NaN, p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
  return {
    minMs: Math.min(...values),
    p50Ms: percentile(values, 50),
    p99Ms: percentile(values, 99),
    maxMs: Math.max(...values),
  };
}

export interface ProbeReport {
  /** Database round trips (queries incl. BEGIN/COMMIT) per email. */
  dbRoundTripsPerEmail: number;
  /** Mean milliseconds per phase of the dispatch pipeline (with `phases`). */
  phaseMeanMs?: Record<string, number>;
  /** Job start minus its slot: how long BullMQ kept due jobs waiting for a free worker. */
  jobStartLateness: Lateness;
  /** Peak jobs in flight / peak connections waiting for the database pool. */
  peakInFlight: number;
  peakPoolWaiting: number;
}

const PHASE_LABELS: Record<DispatchPhase, string> = {
  drain: 'drain (whole job)',
  claim: 'claim a round (transaction)',
  load: "load and check a round's rows",
  send: 'render and send one email (pool queue + SMTP transaction)',
  record: "record a round's outcomes",
};

/**
 * Counts what the worker does while `start()`…`stop()`: every pg query (BEGIN/COMMIT included), the pool's
 * waiting queue and drains in flight, sampled, and (with `phases`) each phase's time, told by the dispatch
 * pipeline through its observer. Nothing here changes what the worker does.
 */
export class FanoutProbe {
  /** Give this to WorkerModule.observed(). */
  readonly observer: DispatchObserver = { phaseStarted: (phase) => this.phaseStarted(phase) };
  private running = false;
  private queries = 0;
  private inFlight = 0;
  private peakInFlight = 0;
  private peakWaiting = 0;
  private readonly starts: number[] = [];
  private readonly durations: Partial<Record<DispatchPhase, number[]>> = {};
  private sampler: NodeJS.Timeout | undefined;
  private restoreQuery: (() => void) | undefined;

  constructor(private readonly phases: boolean) {}

  start(app: INestApplicationContext): void {
    const pool = () => (app.get(DataSource).driver as unknown as { master?: { waitingCount: number } }).master;
    const clientProto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = clientProto.query;
    const countQuery = () => {
      this.queries++;
    };
    clientProto.query = function (this: unknown, ...args: unknown[]) {
      countQuery();
      return original.apply(this, args);
    };
    this.restoreQuery = () => (clientProto.query = original);
    this.running = true;
    this.sampler = setInterval(() => (this.peakWaiting = Math.max(this.peakWaiting, pool()?.waitingCount ?? 0)), 20);
  }

  stop(): void {
    this.running = false;
    clearInterval(this.sampler);
    this.restoreQuery?.();
  }

  report(slot: number, emails: number): ProbeReport {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const phaseMeanMs = Object.fromEntries(
      Object.entries(this.durations).map(([phase, ms]) => [
        PHASE_LABELS[phase as DispatchPhase],
        Number(mean(ms).toFixed(2)),
      ]),
    );
    return {
      dbRoundTripsPerEmail: this.queries / Math.max(1, emails),
      ...(this.phases ? { phaseMeanMs } : {}),
      jobStartLateness: lateness(this.starts.map((s) => s - slot)),
      peakInFlight: this.peakInFlight,
      peakPoolWaiting: this.peakWaiting,
    };
  }

  private phaseStarted(phase: DispatchPhase): () => void {
    if (phase === 'drain') {
      this.inFlight++;
      if (this.running) {
        this.starts.push(performance.timeOrigin + performance.now());
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      }
    } else if (!this.phases) {
      return () => undefined;
    }
    const t0 = performance.now();
    return () => {
      if (phase === 'drain') this.inFlight--;
      if (this.running && this.phases) (this.durations[phase] ??= []).push(performance.now() - t0);
    };
  }
}
